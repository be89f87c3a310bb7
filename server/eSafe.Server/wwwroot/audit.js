// The audit view (senior analysts): who did what, when and from where, oldest first. Text with textContent only.
import { call } from './api.js';
import { $, cell } from './dom.js';

let next = null;

async function load(more) {
  const form = $('audit-filters').elements;
  const params = new URLSearchParams();
  for (const name of ['action', 'actor', 'incidentId']) {
    if (form[name].value.trim()) params.set(name, form[name].value.trim());
  }
  if (more && next !== null) params.set('after', String(next));
  params.set('limit', '100');
  $('audit-error').textContent = '';
  try {
    const page = await call('/audit?' + params);
    if (!more) $('audit-rows').replaceChildren();
    for (const line of page.items) $('audit-rows').append(row(line));
    next = page.next ?? null;
    $('audit-more').hidden = next === null;
    $('audit-empty').hidden = $('audit-rows').children.length > 0;
  } catch (e) {
    $('audit-error').textContent = e.message;
  }
}

function row(line) {
  const tr = document.createElement('tr');
  cell(tr, String(line.sequence));
  cell(tr, line.at.replace('T', ' ').slice(0, 19));
  cell(tr, line.actor);
  cell(tr, line.action);
  cell(tr, line.incidentId ?? '');
  cell(tr, line.schoolId ?? '');
  cell(tr, line.remoteAddress ?? '');
  cell(tr, line.detail ?? '');
  return tr;
}

export function initAudit() {
  $('audit-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    load(false);
  });
  $('audit-more').addEventListener('click', () => load(true));
}

export async function showAudit() {
  await load(false);
}
