// Who is signed in and the schools they may see: read by every view.
export const session = {
  me: null,
  schools: [],
  names: new Map(),
};

export function setSession(me, schools) {
  session.me = me;
  session.schools = schools;
  session.names = new Map(schools.map((s) => [s.id, s.name]));
}

export const isStaff = () => session.me?.role === 'analyst' || session.me?.role === 'senior-analyst';
export const isSenior = () => session.me?.role === 'senior-analyst';
export const schoolName = (id) => session.names.get(id) ?? id;
