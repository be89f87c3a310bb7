// "School words": a school's own layer of the threat library (its entries and the global entries it has
// switched off), and a search of the global library to find what to switch off. Analysts pick any school,
// a school's contact sees only their own (the server scopes /schools and the layer either way).
import { HttpError, call } from './api.js';
import { $, button, categories, cell, option } from './dom.js';

const severities = [
  // As docs/THREAT-LIBRARY.md defines them.
  [1, '1 – worth a look'],
  [2, '2 – a concern'],
  [3, '3 – likely needs a conversation'],
  [4, '4 – risk of harm: urgent report'],
  [5, '5 – illegal or life-threatening: immediate phone alert'],
];
const formFields = ['id', 'phrase', 'category', 'severity', 'language', 'exceptions', 'context'];
const pageSize = 20;
let schoolId = null;
let layer = null;
let search = { text: '', category: '', offset: 0 };

const path = (rest = '') => `/schools/${encodeURIComponent(schoolId)}/library${rest}`;

export function initSchoolWords() {
  const form = $('word-form').elements;
  option(form.category, '', 'Choose a category…');
  for (const c of categories) option(form.category, c, c);
  for (const [value, text] of severities) option(form.severity, String(value), text);
  form.severity.value = '3';
  option($('global-search').elements.category, '', 'All categories');
  for (const c of categories) option($('global-search').elements.category, c, c);

  $('words-school').elements.schoolId.addEventListener('change', (e) => { choose(e.target.value); });
  $('word-form').addEventListener('submit', (e) => { e.preventDefault(); save(); });
  $('global-search').addEventListener('submit', (e) => {
    e.preventDefault();
    const f = e.target.elements;
    search = { text: f.text.value.trim(), category: f.category.value, offset: 0 };
    searchGlobal();
  });
  $('global-next').addEventListener('click', () => { search.offset += pageSize; searchGlobal(); });
  $('global-previous').addEventListener('click', () => { search.offset = Math.max(0, search.offset - pageSize); searchGlobal(); });
  $('global-by-id').addEventListener('submit', (e) => {
    e.preventDefault();
    const id = e.target.elements.globalId.value.trim();
    if (id) switchGlobal(id, true).then((done) => { if (done) e.target.reset(); });
  });
}

/** Shows the view for the signed-in user, with the schools they may see. */
export async function showSchoolWords(me, schools) {
  const select = $('words-school').elements.schoolId;
  select.replaceChildren();
  for (const s of schools) option(select, s.id, s.name);
  // A school's contact has exactly one school: nothing to pick.
  select.disabled = me.role === 'school-contact' || schools.length < 2;
  if (schools.length === 0) {
    $('words-error').textContent = 'There is no school you may see.';
    return;
  }
  select.value = schools.some((s) => s.id === schoolId) ? schoolId : schools[0].id;
  await choose(select.value);
}

async function choose(id) {
  schoolId = id;
  clearFormErrors();
  $('words-error').textContent = '';
  try {
    render(await call(path()));
  } catch (e) {
    $('words-error').textContent = e.message;
  }
  await searchGlobal();
}

function render(view) {
  // Another school may have been picked while this answer was on its way.
  if (view.schoolId !== schoolId) return;
  layer = view;
  const changed = view.changedAt ? `, last changed ${view.changedAt.slice(0, 16).replace('T', ' ')} UTC` : '';
  $('words-version').textContent =
    `Version ${view.version}${changed}. ${view.entries.length} of at most ${view.maxEntries} entries.`;
  $('words-rows').replaceChildren(...view.entries.map(entryRow));
  $('words-empty').hidden = view.entries.length > 0;
  $('words-disabled').replaceChildren(...view.disabledGlobalIds.map(disabledItem));
  $('words-disabled-empty').hidden = view.disabledGlobalIds.length > 0;
  for (const row of $('global-rows').children) markGlobal(row);
}

// The cells a school's entry and a global one share: ID, phrase, category, severity, language.
function describedRow(entry) {
  const row = document.createElement('tr');
  row.dataset.id = entry.id;
  cell(row, entry.id);
  cell(row, entry.phrase, 'phrase');
  cell(row, entry.category);
  cell(row, String(entry.severity), `sev-${entry.severity}`);
  cell(row, entry.language);
  return row;
}

function entryRow(entry) {
  const row = describedRow(entry);
  cell(row, (entry.exceptions ?? []).join('; '));
  cell(row, entry.context ?? '', 'word-context');
  cell(row, '').append(
    button('Edit', () => edit(entry), 'quiet'),
    button('Remove', () => remove(entry.id), 'quiet'));
  return row;
}

function disabledItem(globalId) {
  const item = document.createElement('li');
  item.dataset.id = globalId;
  const name = document.createElement('code');
  name.textContent = globalId;
  item.append(name, ' ', button('Switch on', () => switchGlobal(globalId, false), 'quiet'));
  return item;
}

function edit(entry) {
  const form = $('word-form').elements;
  form.id.value = entry.id;
  form.phrase.value = entry.phrase;
  form.category.value = entry.category;
  form.severity.value = String(entry.severity);
  form.language.value = entry.language;
  form.exceptions.value = (entry.exceptions ?? []).join('; ');
  form.context.value = entry.context ?? '';
  form.phrase.focus();
}

async function save() {
  const form = $('word-form').elements;
  clearFormErrors();
  const id = form.id.value.trim();
  const entry = {
    id,
    phrase: form.phrase.value.trim(),
    category: form.category.value,
    severity: Number(form.severity.value),
    language: form.language.value.trim(),
    exceptions: form.exceptions.value.split(';').map((x) => x.trim()).filter((x) => x.length > 0),
    // Blank is none; the server checks it with the library's own parser and names what is wrong.
    context: form.context.value.trim() || null,
  };
  if (!id) {
    showFormErrors({ id: ['Give the entry an ID (letters, digits, -, _ or .), e.g. nick-01.'] });
    return;
  }
  try {
    render(await call(path(`/entries/${encodeURIComponent(id)}`), { method: 'PUT', body: JSON.stringify(entry) }));
    $('word-form').reset();
    form.severity.value = '3';
    form.language.value = 'en-GB';
    $('word-form-status').textContent = `Saved entry ${id}.`;
  } catch (e) {
    if (e instanceof HttpError && Object.keys(e.errors).length > 0) showFormErrors(e.errors);
    else $('word-form-error').textContent = e.message;
  }
}

async function remove(id) {
  $('words-error').textContent = '';
  try {
    render(await call(path(`/entries/${encodeURIComponent(id)}`), { method: 'DELETE' }));
  } catch (e) {
    $('words-error').textContent = e.message;
  }
}

/** Switches a global entry off or on for the school; true when the server agreed. */
async function switchGlobal(globalId, off) {
  $('global-error').textContent = '';
  try {
    render(await call(path(`/disabled/${encodeURIComponent(globalId)}`), { method: off ? 'PUT' : 'DELETE' }));
    return true;
  } catch (e) {
    $('global-error').textContent = e.message;
    return false;
  }
}

async function searchGlobal() {
  const params = new URLSearchParams({ offset: String(search.offset), limit: String(pageSize) });
  if (search.text) params.set('text', search.text);
  if (search.category) params.set('category', search.category);
  $('global-error').textContent = '';
  try {
    const page = await call('/library/entries?' + params);
    $('global-rows').replaceChildren(...page.items.map(globalRow));
    const last = page.offset + page.items.length;
    $('global-count').textContent = page.total === 0 ? 'No global entry matches.'
      : `Showing ${page.offset + 1}–${last} of ${page.total}.`;
    $('global-next').hidden = last >= page.total;
    $('global-previous').hidden = page.offset === 0;
  } catch (e) {
    $('global-error').textContent = e.message;
  }
}

function globalRow(entry) {
  const row = describedRow(entry);
  cell(row, entry.context ?? '', 'word-context');
  cell(row, '', 'switch');
  markGlobal(row);
  return row;
}

function markGlobal(row) {
  const id = row.dataset.id;
  const off = layer?.disabledGlobalIds.includes(id) ?? false;
  row.classList.toggle('off', off);
  row.querySelector('.switch').replaceChildren(
    button(off ? 'Switch on' : 'Switch off', () => switchGlobal(id, !off), 'quiet'));
}

function clearFormErrors() {
  for (const field of formFields) $(`word-${field}-error`).textContent = '';
  $('word-form-error').textContent = '';
  $('word-form-status').textContent = '';
}

function showFormErrors(errors) {
  const other = [];
  for (const [field, messages] of Object.entries(errors)) {
    const slot = formFields.includes(field) ? $(`word-${field}-error`) : null;
    if (slot) slot.textContent = messages.join(' ');
    else other.push(...messages);
  }
  $('word-form-error').textContent = ['Nothing was saved.', ...other].join(' ');
}
