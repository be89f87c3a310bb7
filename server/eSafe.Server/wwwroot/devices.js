// "Devices": a school's enrolled devices, their health (fleet.js) and revoking one (its uploads and library downloads are refused
// from then on). Analysts pick any school, a school's contact sees only their own (the server scopes it).
import { call } from './api.js';
import { $, button, cell, option } from './dom.js';
import { fleetOf, healthCells } from './fleet.js';

let schoolId = null;

const when = (iso) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '');

export function initDevices() {
  $('devices-school').elements.schoolId.addEventListener('change', (e) => { choose(e.target.value); });
}

/** Shows the view for the signed-in user, with the schools they may see. */
export async function showDevices(me, schools) {
  const select = $('devices-school').elements.schoolId;
  select.replaceChildren();
  for (const s of schools) option(select, s.id, s.name);
  select.disabled = me.role === 'school-contact' || schools.length < 2;
  if (schools.length === 0) {
    $('devices-error').textContent = 'There is no school you may see.';
    return;
  }
  select.value = schools.some((s) => s.id === schoolId) ? schoolId : schools[0].id;
  await choose(select.value);
}

async function choose(id) {
  schoolId = id;
  $('devices-error').textContent = '';
  try {
    const [devices, fleet] = await Promise.all([call(`/schools/${encodeURIComponent(id)}/devices`), fleetOf(id)]);
    if (id !== schoolId) return;
    $('devices-rules').textContent = fleet.rules;
    $('devices-rows').replaceChildren(...devices.map((d) => deviceRow(d, fleet.byId.get(d.id))));
    $('devices-empty').hidden = devices.length > 0;
  } catch (e) {
    $('devices-error').textContent = e.message;
  }
}

function deviceRow(d, health) {
  const row = document.createElement('tr');
  row.dataset.id = d.id;
  cell(row, d.id);
  cell(row, d.machineName);
  healthCells(row, health);
  cell(row, when(d.enrolledAt));
  cell(row, d.enrolledFrom ?? '');
  if (d.revokedAt) {
    cell(row, `revoked ${when(d.revokedAt)} by ${d.revokedBy}${d.revokedReason ? `: ${d.revokedReason}` : ''}`);
    cell(row, '');
  } else {
    cell(row, 'active');
    cell(row, '').append(button('Revoke', () => revoke(d), 'quiet'));
  }
  return row;
}

async function revoke(d) {
  const reason = window.prompt(`Revoke ${d.machineName} (${d.id})? Its uploads will be refused. Reason (optional):`, '');
  if (reason === null) return;
  try {
    await call(`/devices/${encodeURIComponent(d.id)}/revoke`, { method: 'POST', body: JSON.stringify({ reason: reason.trim() || null }) });
  } catch (e) {
    $('devices-error').textContent = e.message;
  }
  await choose(schoolId);
}
