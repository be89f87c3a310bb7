// Fleet health: the Devices view's health cells (last seen, mode, versions, libraries, backlog, flags) and the
// device alerts above every view that tell analysts (and a school's contact, for their school) which devices are
// flagged now: silent in school time, or the extension running without its host (a sign of tampering). Each alert
// is acknowledged here (audited on the server); acknowledged ones leave the list and say who took them on.
import { call } from './api.js';
import { $, button, cell, span } from './dom.js';

const pollMs = 60000;
let timer = null;

export const flagWords = {
  silent: 'silent in school time',
  'host-missing': 'running without its host (tampering?)',
};

const when = (iso) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'never');

/** The school's devices' health by device ID (with each flag's alert, for its acknowledgement), and the rule line shown above the table. */
export async function fleetOf(schoolId) {
  const [view, alerts] = await Promise.all([call(`/schools/${encodeURIComponent(schoolId)}/fleet`), call('/fleet/alerts')]);
  const rules = `Flags: silent after more than ${view.silentAfterHours} hours of school time (${view.schoolTime}); `
    + 'running without its host when the extension reports its native host missing.';
  const alertOf = new Map(alerts.map((a) => [`${a.deviceId} ${a.flag}`, a]));
  return { rules, byId: new Map(view.devices.map((d) => [d.deviceId, { ...d, alerts: d.flags.map((f) => alertOf.get(`${d.deviceId} ${f}`)) }])) };
}

/** Appends the health cells of one device's row. */
export function healthCells(row, h) {
  cell(row, h?.mode ?? '', 'fleet-mode');
  cell(row, when(h?.lastSeen), 'fleet-seen');
  cell(row, h?.lastSeen ? `extension ${h.extensionVersion}${h.hostVersion ? ` · host ${h.hostVersion}` : ''}` : '', 'fleet-versions');
  const libraries = h?.globalLibraryVersion ? `global ${h.globalLibraryVersion}` : '';
  cell(row, h?.schoolLibraryVersion != null ? `${libraries}${libraries ? ' · ' : ''}school v${h.schoolLibraryVersion}` : libraries, 'fleet-libraries');
  cell(row, h?.backlog != null ? String(h.backlog) : '', 'fleet-backlog');
  const flags = cell(row, '', 'fleet-flags');
  (h?.flags ?? []).forEach((flag, i) => {
    flags.append(span(`flag flag-${flag}`, flagWords[flag] ?? flag), ' ');
    const alert = h.alerts?.[i];
    if (alert?.acknowledgement) flags.append(span('fleet-ack', acknowledged(alert)), ' ');
    else if (alert?.key) flags.append(acknowledgeButton(alert), ' ');
  });
}

export function startFleetBanner() {
  stopFleetBanner();
  timer = setInterval(poll, pollMs);
  poll();
}

export function stopFleetBanner() {
  if (timer) clearInterval(timer);
  timer = null;
  $('fleet-banner').replaceChildren();
  $('fleet-banner').hidden = true;
}

/** Polls now (after a view of the devices, say). */
export function pollFleetNow() { return poll(); }

async function poll() {
  try {
    const alerts = await call('/fleet/alerts');
    if (!timer) return;
    show(alerts);
  } catch {
    // The next tick tries again.
  }
}

// One line an open alert (the first few), then how many more and how many are acknowledged.
const shownAtMost = 8;

function show(alerts) {
  const open = alerts.filter((a) => !a.acknowledgement);
  const done = alerts.length - open.length;
  const more = document.createElement('p');
  more.className = 'fleet-line fleet-more';
  const link = document.createElement('a');
  link.href = '#/devices';
  link.textContent = 'Open Devices';
  more.append(`${open.length > shownAtMost ? `${open.length - shownAtMost} more device alerts. ` : ''}${done > 0 ? `${done} acknowledged. ` : ''}`, link);
  $('fleet-banner').replaceChildren(...open.slice(0, shownAtMost).map(alertLine), more);
  $('fleet-banner').hidden = open.length === 0;
}

function alertLine(a) {
  const line = document.createElement('p');
  line.className = 'fleet-line';
  line.dataset.key = a.key;
  line.append(span('alert-title', 'Device alert'), ' — ', span('school', a.schoolName),
    ` — ${a.machineName} ${flagWords[a.flag] ?? a.flag} since ${when(a.since)} `, acknowledgeButton(a));
  return line;
}

function acknowledged(a) {
  return `acknowledged by ${a.acknowledgement.by} ${when(a.acknowledgement.at)}`;
}

function acknowledgeButton(a) {
  const b = button('Acknowledge', async () => {
    b.disabled = true;
    try {
      const done = await call(`/fleet/alerts/${encodeURIComponent(a.key)}/acknowledge`, { method: 'POST' });
      b.replaceWith(span('fleet-ack', acknowledged(done)));
    } catch (e) {
      // Someone else was first (409) or the device was heard from (404): the server's sentence says which.
      b.replaceWith(span('fleet-ack', e.message));
    }
    if (timer) poll();
  }, 'quiet fleet-acknowledge');
  return b;
}
