// Live updates without a reload: a Server-Sent Events stream (/api/v1/live) says at once that something
// changed in a school this user may see, and the console refreshes then; a poll of the counts and open
// alerts stays as the fallback (every 5 s without the stream, every 30 s with it). Keeps the undecided
// count in the header and the page title, beeps (WebAudio, made here) and badges the title when serious
// incidents arrive, draws the alert banner, and tells the open view when something arrived.
import { apiUrl, call } from './api.js';
import { $, span } from './dom.js';
import { since } from './format.js';
import { severityBadge } from './severity.js';

const pollMs = 5000;
const pollWithStreamMs = 30000;
const reopenMs = 30000;
const baseTitle = 'eSafe console';
let timer = null;
let me = null;
let last = null;
let badge = false;
let audio = null;
let stream = null;
let streamOpen = false;
let reopenTimer = null;
let lastPoll = 0;
let pending = null;
const listeners = [];

/** Calls back with the new counts whenever an incident arrives or the undecided count changes. */
export function onQueueChanged(listener) { listeners.push(listener); }

export function startLive(user) {
  stopLive();
  me = user;
  last = null;
  timer = setInterval(tick, pollMs);
  openStream();
  poll();
}

export function stopLive() {
  if (timer) clearInterval(timer);
  timer = null;
  closeStream();
  $('counts').textContent = '';
  $('alerts-banner').replaceChildren();
  $('alerts-banner').hidden = true;
  document.title = baseTitle;
}

/** Polls now (after a decision, say) instead of waiting for the next tick. */
export function pollNow() { return poll(); }

function tick() {
  if (!streamOpen || Date.now() - lastPoll >= pollWithStreamMs) poll();
}

// The stream only says "something changed" (kind, school, incident ID); what changed is fetched through the API as usual.
function openStream() {
  if (!window.EventSource) return;
  stream = new EventSource(apiUrl('/live'));
  stream.addEventListener('ready', () => { streamOpen = true; refreshSoon(); });
  stream.addEventListener('change', refreshSoon);
  stream.addEventListener('resync', refreshSoon);
  stream.addEventListener('error', () => {
    streamOpen = false;
    // The browser reconnects by itself unless the server refused (401, 503): then try again later; polling goes on meanwhile.
    if (stream?.readyState === EventSource.CLOSED && timer) {
      closeStream();
      reopenTimer = setTimeout(() => { if (timer) openStream(); }, reopenMs);
    }
  });
}

function closeStream() {
  stream?.close();
  stream = null;
  streamOpen = false;
  if (reopenTimer) clearTimeout(reopenTimer);
  reopenTimer = null;
}

// A burst of changes (a class's worth of incidents) makes one refresh, not one each.
function refreshSoon() {
  if (pending) return;
  pending = setTimeout(() => { pending = null; poll(); }, 200);
}

async function poll() {
  lastPoll = Date.now();
  try {
    const [counts, alerts] = await Promise.all([call('/queue/counts'), call('/alerts')]);
    if (!timer) return; // signed out meanwhile
    showCounts(counts);
    showAlerts(alerts);
  } catch {
    // The next tick tries again; a 401 has already signed out.
  }
}

function showCounts(counts) {
  const staff = me.role !== 'school-contact';
  $('counts').textContent = staff
    ? `${counts.undecided} undecided · ${counts.undecidedSerious} serious`
    : `${counts.undecided} awaiting your response`;
  const previous = last;
  last = counts;
  if (previous && counts.undecidedSerious > previous.undecidedSerious && counts.newestId !== previous.newestId) {
    badge = true;
    beep();
  }
  document.title = `${badge ? '‼ ' : ''}(${counts.undecided}) ${baseTitle}`;
  if (previous && (counts.newestId !== previous.newestId || counts.undecided !== previous.undecided || counts.openAlerts !== previous.openAlerts)) {
    for (const listener of listeners) listener(counts);
  }
}

function showAlerts(alerts) {
  const banner = $('alerts-banner');
  banner.replaceChildren(...alerts.map(alertLine));
  banner.hidden = alerts.length === 0;
}

function alertLine(alert) {
  const line = document.createElement('p');
  line.className = 'alert-line';
  const link = document.createElement('a');
  link.href = `#/incidents/${alert.incidentId}`;
  link.textContent = 'Open the incident';
  const calls = alert.calls === 0 ? 'no call made yet'
    : `${alert.calls} call${alert.calls === 1 ? '' : 's'} made${alert.lastCalled ? `, last called ${alert.lastCalled}` : ''}`;
  line.append(
    span('alert-title', 'Urgent alert open'), ' — ', span('school', alert.schoolName), ' — ', alert.category, ' · ',
    severityBadge(alert.severity), ` — open ${since(alert.raisedAt)} — ${calls}`);
  line.querySelector('.alert-title').title = `Raised ${alert.raisedAt}`;
  if (alert.noPhoneProvider) {
    const staff = me.role !== 'school-contact';
    line.append(' — ', span('warning', staff ? 'no phone provider configured: ring the school yourself' : 'no phone provider configured'));
  }
  line.append(' ', link);
  return line;
}

// Browsers let a page make sound only after the person has interacted with it; that also clears the title badge.
function interacted() {
  if (!audio && window.AudioContext) audio = new AudioContext();
  if (audio?.state === 'suspended') audio.resume();
  if (badge) {
    badge = false;
    if (last) document.title = `(${last.undecided}) ${baseTitle}`;
  }
}

function beep() {
  if (!audio || audio.state !== 'running') return;
  const tone = audio.createOscillator();
  const gain = audio.createGain();
  tone.frequency.value = 880;
  gain.gain.setValueAtTime(0.0001, audio.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.2, audio.currentTime + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.35);
  tone.connect(gain).connect(audio.destination);
  tone.start();
  tone.stop(audio.currentTime + 0.4);
}

for (const type of ['pointerdown', 'keydown']) window.addEventListener(type, interacted, { passive: true });
