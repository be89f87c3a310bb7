// The incident page: one sentence of what happened, the screenshot large beside the captured text with the
// matched words highlighted, every fact an analyst needs, and the same pupil's other incidents at the school.
import { apiUrl, call } from './api.js';
import { $, span } from './dom.js';
import { highlighted, pupilTimeFull, statusPill, utcTime, whatHappened } from './format.js';
import { severityBadge, severityLabel } from './severity.js';
import { schoolName } from './session.js';
import { initWorkflow, showWorkflow } from './workflow.js';

let shownId = null;

export function initIncident() {
  initWorkflow(() => shownId && showIncident(shownId));
}

export async function showIncident(id) {
  const changed = shownId !== id;
  shownId = id;
  $('detail-error').textContent = '';
  $('detail-id').textContent = id;
  if (changed) {
    $('detail-title').textContent = 'Loading…';
    for (const part of ['detail-pills', 'detail-fields', 'detail-timeline', 'detail-context']) $(part).replaceChildren();
    $('detail-shot').hidden = true;
    $('detail-shot').removeAttribute('src');
    $('detail-noshot').textContent = '';
    window.scrollTo(0, 0);
  }
  let d;
  try {
    d = await call(`/incidents/${id}`);
  } catch (e) {
    $('detail-title').textContent = 'This incident cannot be shown';
    $('detail-error').textContent = e.message;
    showWorkflow(null);
    return;
  }
  if (shownId !== id) return;
  $('detail-title').replaceChildren(...whatHappened(d, schoolName(d.schoolId)));
  const pills = [statusPill(d.status)];
  if (d.workflow.alertOpen) pills.push(span('pill pill-alert', 'urgent alert open'));
  $('detail-pills').replaceChildren(...pills);
  $('detail-context').replaceChildren(...highlighted(d.context, d.contextMatch));
  $('detail-fields').replaceChildren(...facts(d).flatMap(([name, value]) => fact(name, value)));
  showScreenshot(d);
  showTimeline(d);
  showWorkflow(d);
}

function facts(d) {
  const search = d.source === 'search' ? searchWords(d.url) : null;
  const why = document.createElement('span');
  why.append(`entry ${d.ruleId}: “${d.phrase}” — in ${d.category} at `, severityBadge(d.severity),
    `; the pupil's words “${d.matchedText}” matched it`);
  return [
    ['What', `${d.source === 'typed' ? 'Typed by the pupil' : d.source === 'search' ? 'A search the pupil made' : 'Text on a page the pupil read'}`],
    ['Page title', d.pageTitle ?? '(none)'],
    ['Address', d.url],
    ...(search ? [['Search', search]] : []),
    ['Pupil\u2019s time', pupilTimeFull(d.occurredAt, d.localOffsetMinutes)],
    ['UTC', utcTime(d.occurredAt)],
    ['Received', utcTime(d.receivedAt)],
    ['User ID', d.userId],
    ['Machine', d.machineName],
    ['Device', d.deviceId],
    ['IP addresses', [...(d.deviceAddresses ?? []), ...(d.serverSeenAddress ? [`${d.serverSeenAddress} (seen by the server)`] : [])].join(', ')],
    ['Library entry', why],
    ['School', schoolName(d.schoolId)],
    ['Versions', `host ${d.hostVersion} · library ${d.libraryVersion} · extension ${d.extensionVersion ?? '-'}`],
  ];
}

function searchWords(url) {
  try {
    const query = new URL(url).searchParams;
    return query.get('q') ?? query.get('search_query') ?? query.get('p') ?? query.get('query') ?? null;
  } catch {
    return null;
  }
}

function fact(name, value) {
  const dt = document.createElement('dt');
  dt.textContent = name;
  const dd = document.createElement('dd');
  if (value instanceof Node) dd.append(value);
  else dd.textContent = value;
  return [dt, dd];
}

function showScreenshot(d) {
  if (d.hasScreenshot) {
    $('detail-shot').src = apiUrl(`/incidents/${d.id}/screenshot`);
    $('detail-shot').hidden = false;
    $('detail-noshot').textContent = '';
  } else {
    $('detail-shot').hidden = true;
    $('detail-noshot').textContent = `No screenshot: ${d.screenshotMissingReason ?? 'none was taken'}.`;
  }
}

// Newest first; a pattern matters more than one event.
function showTimeline(d) {
  const items = [...d.timeline].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
  $('detail-timeline').replaceChildren(...items.map((t) => {
    const li = document.createElement('li');
    li.className = `sev-edge-${t.severity}`;
    li.dataset.id = t.id;
    const link = document.createElement('a');
    link.href = `#/incidents/${t.id}`;
    const when = document.createElement('time');
    when.dateTime = t.occurredAt;
    when.textContent = pupilTimeFull(t.occurredAt, d.localOffsetMinutes).replace(/ \(.*\)$/, '');
    when.title = utcTime(t.occurredAt);
    link.append(when, ' — ', span('quote', `‘${t.matchedText}’`), ` — ${t.category} · `, severityBadge(t.severity), ` — ${t.source} — `,
      statusPill(t.status));
    if (t.occurredAt > d.occurredAt) link.append(' ', span('pill pill-muted', 'later'));
    link.title = severityLabel(t.severity);
    li.append(link);
    return li;
  }));
  $('timeline-empty').hidden = items.length > 0;
  $('timeline-title').textContent = `This pupil's other incidents at this school (${items.length})`;
}
