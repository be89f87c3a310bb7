// "School set-up": a school's nominated contacts, its protocol (which severities reach which roles, how and
// within what time), its report password and how long its incidents are kept. Everyone in scope reads it; only a
// senior analyst changes it.
import { call } from './api.js';
import { $, button, cell, clearErrors, option, showErrors } from './dom.js';
import { severities, severityBadge } from './severity.js';
import { isSenior, session } from './session.js';

const roles = ['dsl', 'deputy-dsl', 'slt', 'head', 'it'];
const roleWords = { dsl: 'DSL', 'deputy-dsl': 'Deputy DSL', slt: 'SLT', head: 'Head', it: 'IT' };
const ways = [['phone', 'Phone'], ['email', 'Email'], ['weekly', 'Weekly summary']];
let schoolId = null;
let view = null;

const path = (rest) => `/schools/${encodeURIComponent(schoolId)}${rest}`;

export function initSafeguarding() {
  const form = $('contact-form');
  for (const r of roles) option(form.elements.role, r, roleWords[r]);
  $('setup-school').elements.schoolId.addEventListener('change', (e) => { location.hash = `#/school-setup?schoolId=${encodeURIComponent(e.target.value)}`; });
  form.addEventListener('submit', (e) => { e.preventDefault(); saveContact(); });
  $('contact-cancel').addEventListener('click', clearContactForm);
  $('protocol-form').addEventListener('submit', (e) => { e.preventDefault(); saveProtocol(); });
  $('make-password').addEventListener('click', makePassword);
  $('retention-form').addEventListener('submit', (e) => { e.preventDefault(); saveRetention(Number($('retention-form').elements.months.value || 0)); });
  $('retention-default').addEventListener('click', () => saveRetention(null));
  const head = document.createElement('tr');
  for (const h of ['Severity', ...roles.map((r) => roleWords[r]), ...ways.map(([, w]) => w), 'Within (minutes)', '']) {
    const th = document.createElement('th');
    th.textContent = h;
    head.append(th);
  }
  $('protocol-head').replaceChildren(head);
}

export async function showSafeguarding(params) {
  const select = $('setup-school').elements.schoolId;
  select.replaceChildren();
  for (const s of session.schools) option(select, s.id, s.name);
  select.disabled = session.schools.length < 2;
  const wanted = params.get('schoolId');
  schoolId = session.schools.some((s) => s.id === wanted) ? wanted : session.schools[0]?.id ?? null;
  select.value = schoolId ?? '';
  const senior = isSenior();
  $('setup-note').hidden = senior;
  for (const el of document.querySelectorAll('#setup .senior-only')) el.hidden = !senior;
  $('password-shown').hidden = true;
  $('retention-error').textContent = '';
  $('setup-error').textContent = '';
  if (!schoolId) {
    $('setup-error').textContent = 'There is no school you may see.';
    return;
  }
  try {
    render(await call(path('/safeguarding')));
    renderRetention(await call(path('/retention')));
  } catch (e) {
    $('setup-error').textContent = e.message;
  }
}

function renderRetention(r) {
  if (r.schoolId !== schoolId) return;
  $('retention-state').textContent = `Incidents are kept ${r.months} months after the month they were received in`
    + (r.isDefault ? ` (the default: a school year and a term).` : ` (the default is ${r.defaultMonths}).`)
    + ' Then they are deleted with their screenshots and decisions, and the month\'s key is destroyed.';
  $('retention-form').elements.months.value = String(r.months);
  $('retention-status').textContent = '';
}

async function saveRetention(months) {
  const form = $('retention-form');
  clearErrors(form, $('retention-error'));
  try {
    renderRetention(await call(path('/retention'), { method: 'PUT', body: JSON.stringify({ months }) }));
    $('retention-status').textContent = 'Saved.';
  } catch (e) {
    showErrors(form, e, $('retention-error'));
  }
}

function render(v) {
  if (v.schoolId !== schoolId) return;
  view = v;
  const changed = v.changedAt ? `, last changed ${v.changedAt.slice(0, 16).replace('T', ' ')} UTC` : '';
  $('setup-version').textContent = `Version ${v.version}${changed}.`;
  const contacts = [...v.contacts].sort((a, b) => roles.indexOf(a.role) - roles.indexOf(b.role) || a.order - b.order);
  $('contact-rows').replaceChildren(...contacts.map(contactRow));
  $('contacts-empty').hidden = v.contacts.length > 0;
  renderProtocol(v.protocol);
  $('password-state').textContent = v.reportPasswordSet
    ? 'The school has a report password: reports are encrypted with it. It is never shown again.'
    : 'No report password yet: reports cannot be sent until one is made.';
}

function contactRow(c) {
  const row = document.createElement('tr');
  row.dataset.id = c.id;
  cell(row, String(c.order));
  cell(row, c.name);
  cell(row, roleWords[c.role] ?? c.role);
  cell(row, c.phone ?? '—');
  cell(row, c.email ?? '—');
  const actions = cell(row, '');
  if (isSenior()) actions.append(button('Edit', () => editContact(c), 'quiet'), button('Remove', () => removeContact(c), 'quiet'));
  return row;
}

function editContact(c) {
  const f = $('contact-form').elements;
  f.id.value = c.id;
  f.name.value = c.name;
  f.role.value = c.role;
  f.phone.value = c.phone ?? '';
  f.email.value = c.email ?? '';
  f.order.value = String(c.order);
  $('contact-form-title').textContent = `Change ${c.name}`;
  f.name.focus();
}

function clearContactForm() {
  $('contact-form').reset();
  $('contact-form').elements.id.value = '';
  $('contact-form-title').textContent = 'Add a contact';
  clearErrors($('contact-form'), $('contact-error'));
}

async function saveContact() {
  const form = $('contact-form');
  const f = form.elements;
  clearErrors(form, $('contact-error'));
  // A new contact gets an ID made here: lower-case letters, digits and '-'.
  const id = f.id.value || `c-${crypto.getRandomValues(new Uint32Array(1))[0].toString(16)}`;
  const body = {
    name: f.name.value.trim(),
    role: f.role.value,
    phone: f.phone.value.trim() || null,
    email: f.email.value.trim() || null,
    order: Number(f.order.value || 0),
  };
  try {
    render(await call(path(`/contacts/${encodeURIComponent(id)}`), { method: 'PUT', body: JSON.stringify(body) }));
    clearContactForm();
  } catch (e) {
    showErrors(form, e, $('contact-error'));
  }
}

async function removeContact(c) {
  $('setup-error').textContent = '';
  try {
    render(await call(path(`/contacts/${encodeURIComponent(c.id)}`), { method: 'DELETE' }));
  } catch (e) {
    $('setup-error').textContent = e.message;
  }
}

function renderProtocol(protocol) {
  const senior = isSenior();
  $('protocol-rows').replaceChildren(...severities.map((s) => {
    const rule = protocol.rules.find((r) => r.severity === s) ?? { severity: s, roles: [], phone: false, email: false, weekly: false, withinMinutes: 60 };
    const row = document.createElement('tr');
    row.dataset.severity = String(s);
    cell(row, '').append(severityBadge(s));
    for (const r of roles) cell(row, '').append(check(`role-${r}`, rule.roles.includes(r), `${roleWords[r]} at severity ${s}`, senior));
    for (const [way, word] of ways) cell(row, '').append(check(way, rule[way], `${word} at severity ${s}`, senior));
    const within = document.createElement('input');
    Object.assign(within, { type: 'number', name: 'withinMinutes', min: '1', value: String(rule.withinMinutes), disabled: !senior, className: 'narrow' });
    within.setAttribute('aria-label', `Within how many minutes at severity ${s}`);
    cell(row, '').append(within);
    const error = cell(row, '', 'error field-error');
    error.dataset.errorFor = `rules[${s}]`;
    return row;
  }));
  const next = $('protocol-form').elements.callNextAfterMinutes;
  next.value = String(protocol.callNextAfterMinutes);
  next.disabled = !senior;
}

function check(name, checked, label, enabled) {
  const box = document.createElement('input');
  Object.assign(box, { type: 'checkbox', name, checked: Boolean(checked), disabled: !enabled });
  box.setAttribute('aria-label', label);
  return box;
}

async function saveProtocol() {
  const form = $('protocol-form');
  clearErrors(form, $('protocol-error'));
  $('protocol-status').textContent = '';
  const rules = [...$('protocol-rows').children].map((row) => {
    const checked = (name) => row.querySelector(`input[name="${name}"]`).checked;
    return {
      severity: Number(row.dataset.severity),
      roles: roles.filter((r) => checked(`role-${r}`)),
      phone: checked('phone'),
      email: checked('email'),
      weekly: checked('weekly'),
      withinMinutes: Number(row.querySelector('input[name=withinMinutes]').value || 0),
    };
  });
  const body = { rules, callNextAfterMinutes: Number(form.elements.callNextAfterMinutes.value || 0) };
  try {
    render(await call(path('/protocol'), { method: 'PUT', body: JSON.stringify(body) }));
    $('protocol-status').textContent = `Saved: version ${view.version}.`;
  } catch (e) {
    showErrors(form, e, $('protocol-error'));
  }
}

async function makePassword() {
  $('password-error').textContent = '';
  try {
    const issued = await call(path('/report-password'), { method: 'POST' });
    $('password-value').textContent = issued.password;
    $('password-shown').hidden = false;
    render(await call(path('/safeguarding')));
  } catch (e) {
    $('password-error').textContent = e.message;
  }
}
