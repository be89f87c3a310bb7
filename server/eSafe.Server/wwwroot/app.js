// The analyst console. Everything a pupil wrote or read is shown with textContent, never as markup.
import { HttpError, apiUrl, call, onSignedOut } from './api.js';
import { $, categories, cell, option } from './dom.js';
import { initSchoolWords, showSchoolWords } from './school-words.js';
import { initAudit, showAudit } from './audit.js';
import { initDevices, showDevices } from './devices.js';

const statuses = ['new', 'in-review', 'no-action', 'escalated'];
const sections = ['loading', 'login', 'queue', 'detail', 'words', 'audit', 'devices'];
const schoolNames = new Map();
let schools = [];
let me = null;
let next = null;

function show(section) {
  for (const id of sections) $(id).hidden = id !== section;
  const out = section === 'login' || section === 'loading';
  $('logout').hidden = out;
  $('nav').hidden = out;
  if (section === 'login') $('who').textContent = '';
}

function deviceTime(iso, offsetMinutes) {
  const local = new Date(Date.parse(iso) + offsetMinutes * 60000).toISOString().slice(0, 16).replace('T', ' ');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local} (UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')})`;
}

async function start() {
  try {
    await signedIn(await call('/auth/me'));
  } catch (e) {
    if (!(e instanceof HttpError && e.status === 401)) $('login-error').textContent = e.message;
    show('login');
  }
}

async function signedIn(user) {
  me = user;
  $('who').textContent = `${me.displayName} (${me.role})`;
  $('nav-audit').hidden = me.role !== 'senior-analyst';
  schools = await call('/schools');
  const select = $('filters').elements.schoolId;
  select.length = 1;
  schoolNames.clear();
  for (const s of schools) {
    schoolNames.set(s.id, s.name);
    option(select, s.id, s.name);
  }
  await route();
}

async function route() {
  const match = /^#\/incidents\/([0-9A-Z]{26})$/.exec(location.hash);
  if (match) {
    await showIncident(match[1]);
  } else if (location.hash === '#/audit') {
    show('audit');
    await showAudit();
  } else if (location.hash === '#/school-words') {
    show('words');
    await showSchoolWords(me, schools);
  } else if (location.hash === '#/devices') {
    show('devices');
    await showDevices(me, schools);
  } else {
    show('queue');
    await loadQueue(false);
  }
}

async function loadQueue(more) {
  const form = $('filters').elements;
  const params = new URLSearchParams();
  for (const name of ['schoolId', 'category', 'minSeverity', 'status']) {
    if (form[name].value) params.set(name, form[name].value);
  }
  if (more && next) params.set('before', next);
  params.set('limit', '50');
  $('queue-error').textContent = '';
  try {
    const page = await call('/incidents?' + params);
    if (!more) $('rows').replaceChildren();
    for (const item of page.items) $('rows').append(queueRow(item));
    next = page.next;
    $('more').hidden = !next;
    $('empty').hidden = $('rows').children.length > 0;
  } catch (e) {
    $('queue-error').textContent = e.message;
  }
}

function queueRow(item) {
  const row = document.createElement('tr');
  row.tabIndex = 0;
  cell(row, deviceTime(item.occurredAt, item.localOffsetMinutes));
  cell(row, schoolNames.get(item.schoolId) ?? item.schoolId);
  cell(row, String(item.severity), `sev-${item.severity}`);
  cell(row, item.category);
  cell(row, item.status);
  cell(row, item.matchedText);
  cell(row, item.machineName);
  cell(row, item.hasScreenshot ? 'yes' : 'no');
  const open = () => { location.hash = `#/incidents/${item.id}`; };
  row.addEventListener('click', open);
  row.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
  return row;
}

async function showIncident(id) {
  show('detail');
  $('detail-error').textContent = '';
  $('detail-fields').replaceChildren();
  $('detail-context').textContent = '';
  $('detail-shot').hidden = true;
  $('detail-shot').removeAttribute('src');
  $('detail-noshot').textContent = '';
  $('detail-title').textContent = `Incident ${id}`;
  let d;
  try {
    d = await call(`/incidents/${id}`);
  } catch (e) {
    $('detail-error').textContent = e.message;
    return;
  }
  const fields = [
    ['School', schoolNames.get(d.schoolId) ?? d.schoolId],
    ['Severity', String(d.severity)],
    ['Category', d.category],
    ['Status', d.status],
    ['Occurred (device time)', deviceTime(d.occurredAt, d.localOffsetMinutes)],
    ['Occurred (UTC)', d.occurredAt],
    ['Received', d.receivedAt + (d.deviceClockSuspect ? ` (the device's clock looks wrong by ${d.clockSkewSeconds} s)` : '')],
    ['Matched text', d.matchedText],
    ['Library phrase', `${d.phrase} (${d.ruleId})`],
    ['Source', d.source],
    ['Page', d.pageTitle ?? ''],
    ['URL', d.url],
    ['Pupil (pseudonymous ID)', d.userId],
    ['Machine', d.machineName],
    ['Device', d.deviceId],
    ['Device addresses', (d.deviceAddresses ?? []).join(', ')],
    ['Address seen by the server', d.serverSeenAddress ?? ''],
    ['Versions', `host ${d.hostVersion}, library ${d.libraryVersion}, extension ${d.extensionVersion ?? '-'}`],
  ];
  for (const [name, value] of fields) {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = value;
    $('detail-fields').append(dt, dd);
  }
  $('detail-context').textContent = d.context;
  if (d.hasScreenshot) {
    $('detail-shot').src = apiUrl(`/incidents/${id}/screenshot`);
    $('detail-shot').hidden = false;
  } else {
    $('detail-noshot').textContent = `No screenshot: ${d.screenshotMissingReason ?? 'none was taken'}.`;
  }
}

function init() {
  onSignedOut(() => show('login'));
  initSchoolWords();
  initAudit();
  initDevices();
  for (const c of categories) option($('filters').elements.category, c, c);
  for (const s of statuses) option($('filters').elements.status, s, s);

  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = e.target.elements;
    $('login-error').textContent = '';
    try {
      const user = await call('/auth/login', {
        method: 'POST',
        body: JSON.stringify({ username: form.username.value, password: form.password.value }),
      });
      form.password.value = '';
      await signedIn(user);
    } catch (err) {
      $('login-error').textContent = err.message;
    }
  });
  $('logout').addEventListener('click', async () => {
    await call('/auth/logout', { method: 'POST' }).catch(() => {});
    location.hash = '';
    show('login');
  });
  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    loadQueue(false);
  });
  $('more').addEventListener('click', () => loadQueue(true));
  $('back').addEventListener('click', () => { location.hash = ''; });
  window.addEventListener('hashchange', () => { route().catch(() => {}); });
  start();
}

init();
