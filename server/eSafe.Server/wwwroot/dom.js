// Small DOM helpers. Text goes in with textContent only: nothing shown is ever parsed as markup.
export const $ = (id) => document.getElementById(id);

export const categories = ['illegal-content', 'bullying', 'grooming', 'discrimination', 'drugs', 'extremism',
  'gambling', 'pornography', 'self-harm', 'suicide', 'violence'];

export function option(select, value, text) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  select.append(o);
}

export function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
  return td;
}

export function button(text, onClick, className) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  if (className) b.className = className;
  b.addEventListener('click', onClick);
  return b;
}
