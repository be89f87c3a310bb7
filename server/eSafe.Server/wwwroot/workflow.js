// Beside the incident: the analyst's decision (no action with a reason, or intervention), what happened
// after it (who signed, the deliveries, warnings, the acknowledgement, the school's response), reopening,
// and for the school's contact the report, acknowledging an alert and recording what the school did.
import { HttpError, apiUrl, call } from './api.js';
import { $, categories, clearErrors, option, showErrors, span } from './dom.js';
import { utcTime } from './format.js';
import { pollNow } from './live.js';
import { severities, severityBadge, severityLabel } from './severity.js';
import { isStaff } from './session.js';

const reasonWords = { 'false-positive': 'false positive', 'no-risk': 'context shows no risk', 'already-known': 'already known' };
const deliveryWords = { 'report-email': 'report by email', 'alert-call': 'phone call', 'alert-text': 'text message', 'weekly-summary': 'weekly summary' };
let current = null;
let reload = () => {};

export function initWorkflow(onChanged) {
  reload = onChanged;
  const form = $('decision-form');
  for (const s of [...severities].reverse()) {
    const o = document.createElement('option');
    o.value = String(s);
    o.textContent = severityLabel(s);
    form.elements.severity.append(o);
  }
  form.addEventListener('change', showDecisionFields);
  form.addEventListener('submit', (e) => { e.preventDefault(); decide(); });
  $('reopen-form').addEventListener('submit', (e) => { e.preventDefault(); reopen(); });
  $('response-form').addEventListener('submit', (e) => { e.preventDefault(); respond(); });
  $('acknowledge-form').addEventListener('submit', (e) => { e.preventDefault(); acknowledge(); });
  const missed = $('missed-form');
  option(missed.elements.category, '', 'Choose…');
  for (const c of categories) option(missed.elements.category, c, c);
  missed.addEventListener('submit', (e) => { e.preventDefault(); fileMissed(); });
}

/** Shows the panel for an incident's detail (null: nothing to show). */
export function showWorkflow(detail) {
  const changed = current?.id !== detail?.id;
  current = detail;
  const staff = isStaff();
  const status = detail?.status;
  const undecided = status === 'new' || status === 'in-review';
  const decision = $('decision-form');
  decision.hidden = !detail || !staff || !undecided;
  if (changed || decision.hidden) {
    decision.reset();
    decision.elements.severity.value = String(detail?.severity ?? 3);
    clearErrors(decision, $('decision-error'));
    showDecisionFields();
  }
  $('reopen-form').hidden = !detail || !staff || undecided;
  $('missed-form').hidden = !detail || !staff;
  $('response-form').hidden = !detail || staff || status !== 'escalated';
  if (changed) {
    $('missed-done').textContent = '';
    for (const f of ['reopen-form', 'response-form', 'missed-form']) {
      $(f).reset();
      clearErrors($(f), $(f.replace('-form', '-error')));
    }
    $('response-form').elements.actionDate.value = new Date().toISOString().slice(0, 10);
  }
  $('acknowledge-form').hidden = !detail || staff || !detail.workflow.alertOpen;
  $('acknowledge-error').textContent = '';
  const reported = detail && (status === 'escalated' || status === 'closed');
  $('report-link').hidden = !reported;
  if (reported) $('report-download').href = apiUrl(`/incidents/${detail.id}/report`);
  $('workflow-history').replaceChildren(...(detail ? history(detail.workflow) : []));
}

function showDecisionFields() {
  const form = $('decision-form').elements;
  const outcome = form.outcome.value;
  $('no-action-fields').hidden = outcome !== 'no-action';
  $('intervention-fields').hidden = outcome !== 'intervention';
  const falsePositive = form.noActionReason.value === 'false-positive';
  $('exception-field').hidden = !falsePositive;
  $('exception-hint').hidden = !falsePositive;
}

function decisionBody() {
  const form = $('decision-form').elements;
  const outcome = form.outcome.value;
  const body = { outcome, expectedVersion: current.workflow.version };
  if (outcome === 'no-action') {
    body.noActionReason = form.noActionReason.value || null;
    if (body.noActionReason === 'false-positive' && form.proposedException.value.trim()) body.proposedException = form.proposedException.value.trim();
  } else if (outcome === 'intervention') {
    Object.assign(body, {
      severity: Number(form.severity.value),
      narrative: form.narrative.value,
      escalationReason: form.escalationReason.value,
      urgent: form.urgent.checked,
      keepFullUrl: form.keepFullUrl.checked,
    });
  }
  return body;
}

async function decide() {
  const form = $('decision-form');
  clearErrors(form, $('decision-error'));
  if (!form.elements.outcome.value) {
    showErrors(form, new HttpError(400, '', { outcome: ['Choose no action or intervention.'] }), $('decision-error'));
    return;
  }
  await post('decision', decisionBody(), form, 'decision-error');
}

async function reopen() {
  const form = $('reopen-form');
  await post('reopen', { reason: form.elements.reason.value, expectedVersion: current.workflow.version }, form, 'reopen-error');
}

async function respond() {
  const form = $('response-form');
  const f = form.elements;
  clearErrors(form, $('response-error'));
  if (!f.actionDate.value) {
    showErrors(form, new HttpError(400, '', { actionDate: ['Give the date the school acted.'] }), $('response-error'));
    return;
  }
  await post('response', { actionTaken: f.actionTaken.value, actionDate: f.actionDate.value, actionBy: f.actionBy.value }, form, 'response-error');
}

async function acknowledge() {
  await post('acknowledge', null, $('acknowledge-form'), 'acknowledge-error');
}

// A sentence the library missed goes to the quality set (esafe-server quality export); the incident is unchanged.
async function fileMissed() {
  const form = $('missed-form');
  clearErrors(form, $('missed-error'));
  $('missed-done').textContent = '';
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const body = { category: form.elements.category.value, text: form.elements.text.value };
    const filed = await call(`/incidents/${current.id}/missed`, { method: 'POST', body: JSON.stringify(body) });
    form.reset();
    $('missed-done').textContent = `Filed as missed (${filed.category}).`;
  } catch (e) {
    showErrors(form, e, $('missed-error'));
  } finally {
    button.disabled = false;
  }
}

async function post(action, body, form, errorId) {
  clearErrors(form, $(errorId));
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    await call(`/incidents/${current.id}/${action}`, { method: 'POST', body: body ? JSON.stringify(body) : undefined });
    pollNow();
    await reload();
  } catch (e) {
    showErrors(form, e, $(errorId));
  } finally {
    button.disabled = false;
  }
}

function history(w) {
  const out = [];
  const heading = (text) => { const h = document.createElement('h3'); h.textContent = text; return h; };
  if (w.decisions.length > 0 || w.reopens.length > 0) {
    out.push(heading('Decisions'));
    const events = [
      ...w.decisions.map((d) => [d.decidedAt, decisionItem(d)]),
      ...w.reopens.map((r) => [r.at, line('reopen', `Reopened by ${r.by}, ${utcTime(r.at)}: ${r.reason}`)]),
    ].sort((a, b) => a[0].localeCompare(b[0]));
    const list = document.createElement('ol');
    list.className = 'history';
    list.append(...events.map(([, item]) => item));
    out.push(list);
  }
  if (w.deliveries.length > 0) {
    out.push(heading('Who is told'));
    const table = document.createElement('table');
    table.className = 'deliveries';
    const head = table.createTHead().insertRow();
    for (const h of ['What', 'To', 'State', 'Attempts', 'When']) head.append(Object.assign(document.createElement('th'), { textContent: h }));
    const rows = table.createTBody();
    for (const d of w.deliveries) {
      const row = rows.insertRow();
      row.className = `delivery-${d.state}`;
      row.insertCell().textContent = deliveryWords[d.kind] ?? d.kind;
      row.insertCell().textContent = d.contactName ? `${d.contactName} (${d.contactRole})` : '—';
      const state = row.insertCell();
      state.append(span(`pill state-${d.state}`, d.state));
      if (d.lastError) state.append(' ', span('error', d.lastError));
      row.insertCell().textContent = String(d.attempts);
      row.insertCell().textContent = d.completedAt ? `done ${utcTime(d.completedAt)}` : d.dueAt ? `due ${utcTime(d.dueAt)}` : '';
    }
    out.push(table);
  }
  for (const warning of w.warnings) out.push(line('warning', warning));
  if (w.acknowledgement) {
    const a = w.acknowledgement;
    out.push(line('acknowledged', `Alert acknowledged by ${a.by} (${a.channel}), ${utcTime(a.at)}`));
  } else if (w.alertOpen) {
    out.push(line('warning', 'The urgent alert is open: nobody at the school has acknowledged it yet.'));
  }
  if (w.response) {
    const r = w.response;
    out.push(heading("The school's response"));
    const p = line('response', '');
    p.append(span('label', 'Action taken: '), r.actionTaken, document.createElement('br'),
      `On ${r.actionDate} by ${r.actionBy} — recorded by ${r.recordedBy}, ${utcTime(r.recordedAt)}`);
    out.push(p);
  }
  return out;
}

function decisionItem(d) {
  const li = document.createElement('li');
  li.className = 'decision';
  const what = document.createElement('p');
  if (d.outcome === 'intervention') {
    what.append(span('outcome', 'Intervention'), ' at ', severityBadge(d.severity), d.urgent ? ' — urgent' : '',
      d.keepFullUrl ? ' — full address kept in the report' : '');
  } else {
    what.append(span('outcome', 'No action'), `: ${reasonWords[d.noActionReason] ?? d.noActionReason}`);
  }
  li.append(what);
  if (d.narrative) li.append(line('narrative', d.narrative));
  if (d.escalationReason) li.append(line('reason', `Reason for escalation: ${d.escalationReason}`));
  if (d.proposedException) li.append(line('proposal', `Proposed exception: “${d.proposedException}”`));
  const signed = line('signed', `Signed ${d.decidedByName} (${d.decidedBy})${d.decidedByQualifications ? `, ${d.decidedByQualifications}` : ''} — ${utcTime(d.decidedAt)}`);
  li.append(signed);
  return li;
}

function line(className, text) {
  const p = document.createElement('p');
  p.className = className;
  p.textContent = text;
  return p;
}
