// Fleet health: the Devices view's health cells (last seen, mode, versions, libraries, backlog, flags) and the
// banner that tells analysts (and a school's contact, for their school) which devices are flagged now:
// silent in school time, or the extension running without its host (a sign of tampering).
import { call } from './api.js';
import { $, cell, span } from './dom.js';

const pollMs = 60000;
let timer = null;

export const flagWords = {
  silent: 'silent in school time',
  'host-missing': 'running without its host (tampering?)',
};

const when = (iso) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'never');

/** The school's devices' health by device ID, and the rule line shown above the table. */
export async function fleetOf(schoolId) {
  const view = await call(`/schools/${encodeURIComponent(schoolId)}/fleet`);
  const rules = `Flags: silent after more than ${view.silentAfterHours} hours of school time (${view.schoolTime}); `
    + 'running without its host when the extension reports its native host missing.';
  return { rules, byId: new Map(view.devices.map((d) => [d.deviceId, d])) };
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
  for (const flag of h?.flags ?? []) flags.append(span(`flag flag-${flag}`, flagWords[flag] ?? flag), ' ');
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
    const bySchool = new Map();
    for (const a of alerts) bySchool.set(a.schoolName, [...(bySchool.get(a.schoolName) ?? []), a]);
    $('fleet-banner').replaceChildren(...[...bySchool].map(([school, list]) => schoolLine(school, list)));
    $('fleet-banner').hidden = alerts.length === 0;
  } catch {
    // The next tick tries again.
  }
}

function schoolLine(school, list) {
  const line = document.createElement('p');
  line.className = 'fleet-line';
  const link = document.createElement('a');
  link.href = '#/devices';
  link.textContent = 'Open Devices';
  const machines = list.slice(0, 5).map((a) => `${a.machineName} ${flagWords[a.flag] ?? a.flag} since ${when(a.since)}`).join('; ');
  line.append(span('alert-title', 'Device alert'), ' — ', span('school', school), ` — ${machines}${list.length > 5 ? ` and ${list.length - 5} more` : ''} `, link);
  return line;
}
