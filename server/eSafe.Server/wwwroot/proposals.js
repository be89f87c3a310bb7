// Proposed library exceptions: a false positive's words that, near the match, mean no threat. A senior analyst
// accepts one into the school's own layer or the global library, or rejects it; other analysts see the list.
import { call } from './api.js';
import { $, button, cell } from './dom.js';
import { utcTime } from './format.js';
import { isSenior, schoolName } from './session.js';

export function initProposals() {
  $('proposals-state').addEventListener('change', (e) => { location.hash = `#/proposals?state=${e.target.value}`; });
}

export async function showProposals(params) {
  const state = ['pending', 'accepted', 'rejected'].includes(params.get('state')) ? params.get('state') : 'pending';
  $('proposals-state').value = state;
  $('proposals-note').hidden = isSenior();
  $('proposals-error').textContent = '';
  try {
    const list = await call(`/proposals?state=${state}`);
    $('proposal-rows').replaceChildren(...list.map(proposalRow));
    $('proposals-empty').hidden = list.length > 0;
  } catch (e) {
    $('proposal-rows').replaceChildren();
    $('proposals-error').textContent = e.message;
  }
}

function proposalRow(p) {
  const row = document.createElement('tr');
  row.dataset.id = p.id;
  const incident = document.createElement('a');
  incident.href = `#/incidents/${p.incidentId}`;
  incident.textContent = 'the incident';
  cell(row, '').append(incident);
  cell(row, schoolName(p.schoolId));
  cell(row, `${p.ruleId}: “${p.phrase}”`);
  cell(row, p.exception, 'phrase');
  cell(row, `${p.proposedBy}, ${utcTime(p.proposedAt)}`);
  const how = p.target ? ` (${p.target}${p.near ? `, as context within ${p.near} words` : ''})` : '';
  const outcome = cell(row, p.state === 'pending' ? '' : `${p.state}${how} by ${p.decidedBy ?? '?'}`);
  if (p.state === 'pending' && isSenior()) {
    // Blank: the words become an exception (the hit lies inside them); a number: context, "unless N: words" (near the hit).
    const near = document.createElement('input');
    near.type = 'number';
    near.min = '1';
    near.max = '50';
    near.name = 'near';
    near.placeholder = 'near';
    near.setAttribute('aria-label', "For the school's words: as context within this many words of the hit (blank: as an exception)");
    outcome.append(
      near,
      button("Add to the school's words", () => decide(p, 'accept', 'school', near.value ? Number(near.value) : null), 'quiet'),
      button('Add to the global library', () => decide(p, 'accept', 'global'), 'quiet'),
      button('Reject', () => decide(p, 'reject', null), 'quiet'));
  }
  return row;
}

async function decide(p, action, target, near = null) {
  $('proposals-error').textContent = '';
  try {
    await call(`/proposals/${p.id}`, { method: 'POST', body: JSON.stringify({ action, target, near }) });
    await showProposals(new URLSearchParams({ state: 'pending' }));
  } catch (e) {
    $('proposals-error').textContent = e.message;
  }
}
