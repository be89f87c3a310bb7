// The console's router: signs in and out, and shows one view per hash route (#/path?query).
// Each view lives in its own module; everything a pupil wrote or read is shown with textContent, never as markup.
import { HttpError, call, onSignedOut } from './api.js';
import { $ } from './dom.js';
import { startLive, stopLive } from './live.js';
import { startFleetBanner, stopFleetBanner } from './fleet.js';
import { isSenior, isStaff, session, setSession } from './session.js';
import { initQueue, showQueue } from './queue.js';
import { initIncident, showIncident } from './incident.js';
import { initSchoolWords, showSchoolWords } from './school-words.js';
import { initSafeguarding, showSafeguarding } from './safeguarding.js';
import { initDashboard, showDashboard } from './dashboard.js';
import { initProposals, showProposals } from './proposals.js';
import { initAudit, showAudit } from './audit.js';
import { initDevices, showDevices } from './devices.js';

// Route path → [section id, show(params, match)]. A view added later is one line here, a nav link and a <section>.
const routes = [
  [/^\/incidents\/([0-9A-Z]{26})$/, 'detail', (_, match) => showIncident(match[1])],
  [/^\/school-words$/, 'words', () => showSchoolWords(session.me, session.schools)],
  [/^\/school-setup$/, 'setup', (params) => showSafeguarding(params)],
  [/^\/dashboard$/, 'dashboard', (params) => showDashboard(params)],
  [/^\/proposals$/, 'proposals', (params) => showProposals(params)],
  [/^\/audit$/, 'audit', () => showAudit()],
  [/^\/devices$/, 'devices', () => showDevices(session.me, session.schools)],
  [/^\/?$/, 'queue', (params) => showQueue(params)],
];

function show(section) {
  for (const s of document.querySelectorAll('main > section, #loading')) s.hidden = s.id !== section;
  const out = section === 'login' || section === 'loading';
  $('logout').hidden = out;
  $('nav').hidden = out;
  $('counts').hidden = out;
  for (const link of $('nav').querySelectorAll('a')) link.classList.toggle('current', link.dataset.view === section);
  if (section === 'login') $('who').textContent = '';
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
  setSession(user, await call('/schools'));
  $('who').textContent = `${user.displayName} · ${user.role.replace('-', ' ')}`;
  document.body.classList.toggle('staff', isStaff());
  $('nav-audit').hidden = !isSenior();
  startLive(user);
  startFleetBanner();
  await route();
}

async function route() {
  if (!session.me) return;
  const hash = location.hash.replace(/^#/, '');
  const [path, query = ''] = hash.split('?', 2);
  const params = new URLSearchParams(query);
  for (const [pattern, section, open] of routes) {
    const match = pattern.exec(path);
    if (match) {
      show(section);
      await open(params, match);
      return;
    }
  }
  location.hash = '#/';
}

function signedOut() {
  stopLive();
  stopFleetBanner();
  session.me = null;
  show('login');
}

function init() {
  onSignedOut(signedOut);
  initQueue();
  initIncident();
  initSchoolWords();
  initSafeguarding();
  initDashboard();
  initProposals();
  initAudit();
  initDevices();

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
    history.replaceState(null, '', '#/');
    signedOut();
  });
  window.addEventListener('hashchange', () => { route().catch(() => {}); });
  start();
}

init();
