// Times, places and the one-line sentence that says what happened. Everything returned is text or
// elements built with textContent: what pupils wrote is never parsed as markup.
import { span } from './dom.js';
import { severityBadge } from './severity.js';

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n) => String(n).padStart(2, '0');

function offsetText(minutes) {
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The pupil's wall-clock time: "23:01:42" today, else "2 Dec 23:01:42" (with the year when not this year). */
export function pupilTime(iso, offsetMinutes) {
  const local = new Date(Date.parse(iso) + offsetMinutes * 60000);
  const now = new Date(Date.now() + offsetMinutes * 60000);
  const clock = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  if (local.toISOString().slice(0, 10) === now.toISOString().slice(0, 10)) return clock;
  const year = local.getUTCFullYear() === now.getUTCFullYear() ? '' : ` ${local.getUTCFullYear()}`;
  return `${local.getUTCDate()} ${months[local.getUTCMonth()]}${year} ${clock}`;
}

/** "2026-12-02 23:01:42 (pupil's time, UTC+01:00)". */
export function pupilTimeFull(iso, offsetMinutes) {
  const local = new Date(Date.parse(iso) + offsetMinutes * 60000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 19)} (pupil's time, ${offsetText(offsetMinutes)})`;
}

/** "2026-12-02 22:01:42 UTC". */
export function utcTime(iso) {
  const t = new Date(iso).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 19)} UTC`;
}

/** A <time> showing the pupil's time, with UTC on hover. */
export function timeElement(iso, offsetMinutes, full = false) {
  const time = document.createElement('time');
  time.dateTime = iso;
  time.textContent = full ? pupilTimeFull(iso, offsetMinutes) : pupilTime(iso, offsetMinutes);
  time.title = `${utcTime(iso)} · pupil's time ${offsetText(offsetMinutes)}`;
  return time;
}

/** "12 min", "3 h 5 min", "2 days": how long since a moment. */
export function since(iso, now = Date.now()) {
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60000));
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${Math.floor(minutes / 1440)} days`;
}

/** The site of a page address: its host without "www.", or the address itself when it is not one. */
export function site(url) {
  try {
    return new URL(url).hostname.replace(/^www\./, '') || url;
  } catch {
    return url;
  }
}

const sourceVerbs = { typed: 'typed on', page: 'read on', search: 'searched on' };

/** "typed on" / "read on" / "searched on". */
export function sourceVerb(source) {
  return sourceVerbs[source] ?? `${source} on`;
}

/**
 * What happened in one line, as elements:
 * "typed on instagram.com — 'i want to end my life' — suicide · 5 immediate risk — Demo School — 23:01:42".
 */
export function whatHappened(incident, schoolName) {
  const dash = () => document.createTextNode(' — ');
  return [
    span('where', `${sourceVerb(incident.source)} ${site(incident.url)}`), dash(),
    span('quote', `‘${incident.matchedText}’`), dash(),
    span('category', incident.category), document.createTextNode(' · '), severityBadge(incident.severity), dash(),
    span('school', schoolName), dash(),
    timeElement(incident.occurredAt, incident.localOffsetMinutes),
  ];
}

/** Text with the span [start, start + length) in a <mark>; the whole text plain when start is -1. */
export function highlighted(text, match) {
  const parts = [];
  if (!match || match.start < 0 || match.start + match.length > text.length) {
    parts.push(document.createTextNode(text));
    return parts;
  }
  const mark = document.createElement('mark');
  mark.textContent = text.slice(match.start, match.start + match.length);
  parts.push(document.createTextNode(text.slice(0, match.start)), mark, document.createTextNode(text.slice(match.start + match.length)));
  return parts;
}

export const statusWords = {
  new: 'new', 'in-review': 'in review', 'no-action': 'no action', escalated: 'escalated', closed: 'closed',
};

/** A small pill with the workflow status. */
export function statusPill(status) {
  return span(`pill status-${status}`, statusWords[status] ?? status);
}
