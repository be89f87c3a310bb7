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

export function span(className, text) {
  const s = document.createElement('span');
  s.className = className;
  s.textContent = text;
  return s;
}

/** Shows a refusal's messages beside their fields: slots are elements with data-error-for="field"; the rest go to `general`. */
export function showErrors(form, error, general) {
  clearErrors(form, general);
  const other = [];
  for (const [field, messages] of Object.entries(error.errors ?? {})) {
    const slot = form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
    if (slot) slot.textContent = messages.join(' ');
    else other.push(...messages);
  }
  const hasFields = Object.keys(error.errors ?? {}).length > 0;
  general.textContent = hasFields ? ['Nothing was saved.', ...other].join(' ') : error.message;
}

export function clearErrors(form, general) {
  for (const slot of form.querySelectorAll('[data-error-for]')) slot.textContent = '';
  general.textContent = '';
}
