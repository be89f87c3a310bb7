// The queue: what needs a human now (undecided, most serious first, then oldest). Every filter lives in the
// URL's hash (#/?status=undecided&order=priority…), so a link reopens the same view and back/forward work;
// it refreshes in place when the live counts say something arrived.
import { call } from './api.js';
import { $, categories, option } from './dom.js';
import { highlighted, site, statusPill, whatHappened } from './format.js';
import { onQueueChanged } from './live.js';
import { severities, severityLabel } from './severity.js';
import { isStaff, schoolName, session } from './session.js';

const staffStatuses = [['undecided', 'Undecided (new or in review)'], ['new', 'new'], ['in-review', 'in review'],
  ['no-action', 'no action'], ['escalated', 'escalated'], ['closed', 'closed']];
const schoolStatuses = [['escalated', 'escalated'], ['closed', 'closed']];
const filterNames = ['schoolId', 'status', 'category', 'severity', 'minSeverity', 'from', 'to', 'order'];
const pageSize = 50;
let params = new URLSearchParams();
let next = null;
let loading = 0;

export function initQueue() {
  const form = $('filters').elements;
  for (const c of categories) option(form.category, c, c);
  for (const s of [4, 3, 2]) option(form.severity, `minSeverity=${s}`, `${severityLabel(s)} or more`);
  for (const s of [...severities].reverse()) option(form.severity, `severity=${s}`, `only ${severityLabel(s)}`);
  $('filters').addEventListener('change', () => { location.hash = '#/?' + fromForm(); });
  $('filters').addEventListener('submit', (e) => e.preventDefault());
  $('more').addEventListener('click', () => load(true));
  onQueueChanged(() => { if (!$('queue').hidden) refresh(); });
}

/** The defaults when the address names no filter: staff see what waits for them, a school's contact its newest. */
function defaults() {
  return isStaff() ? new URLSearchParams({ status: 'undecided', order: 'priority' }) : new URLSearchParams({ order: 'newest' });
}

export async function showQueue(fromHash) {
  params = new URLSearchParams();
  const source = fromHash.has('order') ? fromHash : defaults();
  for (const name of filterNames) {
    if (source.get(name)) params.set(name, source.get(name));
  }
  // The defaults go into the address too, so that a copied link shows the same view.
  if (source !== fromHash) history.replaceState(null, '', '#/?' + params);
  toForm();
  await load(false);
}

function toForm() {
  const form = $('filters').elements;
  const statuses = isStaff() ? staffStatuses : schoolStatuses;
  form.status.length = 1;
  for (const [value, text] of statuses) option(form.status, value, text);
  if (form.schoolId.length !== session.schools.length + 1) {
    form.schoolId.length = 1;
    for (const s of session.schools) option(form.schoolId, s.id, s.name);
  }
  for (const name of ['schoolId', 'status', 'category', 'from', 'to', 'order']) form[name].value = params.get(name) ?? '';
  form.order.value = params.get('order') ?? 'priority';
  form.severity.value = params.has('severity') ? `severity=${params.get('severity')}`
    : params.has('minSeverity') ? `minSeverity=${params.get('minSeverity')}` : '';
}

function fromForm() {
  const form = $('filters').elements;
  const out = new URLSearchParams();
  for (const name of ['schoolId', 'status', 'category', 'from', 'to']) {
    if (form[name].value) out.set(name, form[name].value);
  }
  if (form.severity.value) {
    const [name, value] = form.severity.value.split('=');
    out.set(name, value);
  }
  out.set('order', form.order.value);
  return out;
}

async function load(more, limit = pageSize) {
  const query = new URLSearchParams(params);
  if (more && next) query.set('before', next);
  query.set('limit', String(limit));
  const ticket = ++loading;
  $('queue-error').textContent = '';
  try {
    const page = await call('/incidents?' + query);
    if (ticket !== loading) return; // a newer view was asked for meanwhile
    const known = new Set([...$('rows').children].map((row) => row.dataset.id));
    const rows = page.items.map((item) => row(item, !more && known.size > 0 && !known.has(item.id)));
    if (more) $('rows').append(...rows);
    else $('rows').replaceChildren(...rows);
    next = page.next;
    $('more').hidden = !next;
    $('empty').hidden = $('rows').children.length > 0;
  } catch (e) {
    $('queue-error').textContent = e.message;
  }
}

// Something arrived or was decided: the same filters again, as many rows as are shown, where the reader is.
async function refresh() {
  const y = window.scrollY;
  await load(false, Math.min(200, Math.max(pageSize, $('rows').children.length)));
  window.scrollTo(0, y);
}

function row(item, arrived) {
  const li = document.createElement('li');
  li.dataset.id = item.id;
  li.className = `incident sev-edge-${item.severity}${arrived ? ' arrived' : ''}`;
  const link = document.createElement('a');
  link.href = `#/incidents/${item.id}`;
  const what = document.createElement('span');
  what.className = 'what';
  what.append(...whatHappened(item, schoolName(item.schoolId)));
  const pills = document.createElement('span');
  pills.className = 'pills';
  pills.append(statusPill(item.status));
  if (item.alertOpen) pills.append(pill('alert', 'alert open'));
  if (!item.hasScreenshot) pills.append(pill('muted', 'no screenshot'));
  const snippet = document.createElement('span');
  snippet.className = 'snippet';
  snippet.append(...highlighted(item.snippet, item.snippetMatch));
  const meta = document.createElement('span');
  meta.className = 'meta';
  meta.textContent = [item.pageTitle ? `“${item.pageTitle}”` : site(item.url), `machine ${item.machineName}`, `user ${item.userId.slice(0, 12)}…`].join(' · ');
  link.append(what, pills, snippet, meta);
  li.append(link);
  return li;
}

function pill(kind, text) {
  const p = document.createElement('span');
  p.className = `pill pill-${kind}`;
  p.textContent = text;
  return p;
}
