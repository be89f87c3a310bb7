// Calls to the console's API. A refusal becomes an HttpError carrying the problem document's
// message and, for validation problems, every wrong field (errors: {field: [messages]}).
const base = '/api/v1';
let signedOut = () => {};

export class HttpError extends Error {
  constructor(status, message, errors = {}) {
    super(message);
    this.status = status;
    this.errors = errors;
  }
}

/** What to do when the session has ended (a 401 on anything but login). */
export function onSignedOut(handler) { signedOut = handler; }

export function apiUrl(path) { return base + path; }

export async function call(path, options = {}) {
  const response = await fetch(base + path, {
    credentials: 'same-origin',
    headers: options.body ? { 'Content-Type': 'application/json' } : {},
    ...options,
  });
  if (response.status === 401 && path !== '/auth/login') {
    signedOut();
    throw new HttpError(401, 'Please sign in.');
  }
  if (!response.ok) {
    let message = response.statusText;
    let errors = {};
    try {
      const problem = await response.json();
      errors = problem.errors ?? {};
      message = problem.errors ? Object.values(problem.errors).flat().join(' ') : (problem.detail || problem.title || message);
    } catch { /* not a problem document */ }
    throw new HttpError(response.status, message, errors);
  }
  return response.status === 204 ? null : response.json();
}
