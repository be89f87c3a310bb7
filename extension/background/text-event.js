// @ts-check
// Turns a content script's 'typed' or 'page' message, or a search found in a tab's URL, into a text
// event as PROTOCOL.md defines it, within the limits the host checks (core/eSafe.Incidents/TextEvent.cs),
// so the host never has to refuse one. A message comes from a web page's renderer: every field is
// checked, none is trusted for its shape.

import { searchFieldId, searchQuery } from './search-query.js';

export const MAX_TEXT = 64 * 1024;
export const MAX_URL = 8 * 1024;
export const MAX_TITLE = 1024;
export const MAX_FIELD_ID = 128;

function isLowSurrogate(code) {
  return code >= 0xdc00 && code <= 0xdfff;
}

function isHighSurrogate(code) {
  return code >= 0xd800 && code <= 0xdbff;
}

/** The last `max` characters, never starting on half a surrogate pair. */
export function capEnd(text, max = MAX_TEXT) {
  if (text.length <= max) {
    return text;
  }
  let start = text.length - max;
  if (isLowSurrogate(text.charCodeAt(start))) {
    start += 1;
  }
  return text.slice(start);
}

/** The first `max` characters, never ending on half a surrogate pair. */
export function capStart(text, max) {
  if (text.length <= max) {
    return text;
  }
  let end = max;
  if (isHighSurrogate(text.charCodeAt(end - 1))) {
    end -= 1;
  }
  return text.slice(0, end);
}

/** Whether two URLs (either may be null) have the same origin. */
function sameOrigin(a, b) {
  try {
    return a !== null && b !== null && new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** An http(s) URL the host will take, shortened to its limit, or null. */
export function webUrl(url) {
  if (typeof url !== 'string' || !/^https?:\/\/[^/?#]/i.test(url)) {
    return null;
  }
  return capStart(url, MAX_URL);
}

// What the content scripts send: typed text with the field it came from, or page text.
/** @type {Record<string, 'typed'|'page'>} */
const SOURCE_OF = { typed: 'typed', page: 'page' };

/**
 * @param {{eventId: string, tabId: number, fieldId: string|null, source: ProtocolTextEvent['source'], url: string, title: string, text: string}} fields
 * @param {Date} at
 * @returns {ProtocolTextEvent}
 */
function textEvent({ eventId, tabId, fieldId, source, url, title, text }, at) {
  return {
    eventId,
    tabId,
    ...(fieldId === null ? {} : { fieldId }),
    source,
    url,
    title,
    text,
    occurredAt: at.toISOString(),
    // getTimezoneOffset is minutes behind UTC; the protocol wants minutes ahead. `|| 0` avoids -0.
    localOffsetMinutes: -at.getTimezoneOffset() || 0,
  };
}

/**
 * The text event for a content script's message ('typed' or 'page'), or null when there is nothing the
 * host could use. Page text carries no fieldId: the host then tells repeats apart by URL, so the same
 * page read again within its repeat window is not a new incident. A search results page's text carries
 * its search's field (below, "One search, one incident").
 * @param {ContentMessage} message  from content/typing.js or content/page-text.js
 * @param {chrome.runtime.MessageSender} sender  Chrome's record of who sent it
 * @param {object} [deps]
 * @param {() => Date} [deps.now]  the clock, for tests
 * @param {() => string} [deps.uuid]  the event ID source, for tests
 * @param {(tabId: number, search: SearchQuery) => string} [deps.fieldOfSearch]  the field of a results
 *        page's text: the search filter's fieldOf (the typed field a search came from), else the search's own
 * @returns {ProtocolTextEvent|null}
 */
export function makeTextEvent(message, sender, {
  now = () => new Date(),
  uuid = () => crypto.randomUUID(),
  fieldOfSearch = (_tabId, search) => searchFieldId(search),
} = {}) {
  const source = SOURCE_OF[message?.type];
  if (!source || typeof message.text !== 'string') {
    return null;
  }
  let fieldId = null;
  if (message.type === 'typed') {
    fieldId = message.fieldId;
    if (typeof fieldId !== 'string' || fieldId.length === 0 || fieldId.length > MAX_FIELD_ID) {
      return null;
    }
  }
  const tab = sender?.tab;
  if (!tab || !Number.isInteger(tab.id) || tab.id < 0) {
    return null;
  }
  // The frame's URL as Chrome saw it; an about:blank or srcdoc frame reports its tab's page. A single-page
  // app's history.pushState changes the page's URL but not sender.url, so the content script's own
  // location wins when it has the same origin (pushState cannot change the origin).
  const frameUrl = webUrl(sender.url) ?? webUrl(tab.url);
  const url = sameOrigin(webUrl(message.url), frameUrl) ? webUrl(message.url) : frameUrl;
  if (url === null) {
    return null;
  }
  // Typed text keeps its end (the newest words), page text its start (it is sent in order).
  let text = source === 'typed' ? capEnd(message.text) : capStart(message.text, MAX_TEXT);
  if (source === 'page') {
    const search = searchQuery(url);
    if (search !== null) {
      fieldId = fieldOfSearch(tab.id, search);
      text = withoutQuery(text, url);
    }
  }
  if (text.trim() === '' || (source === 'page' && !LETTER.test(text))) {
    return null;
  }
  const frameTitle = typeof message.title === 'string' ? message.title : '';
  const title = capStart(frameTitle.trim() !== '' ? frameTitle : (tab.title ?? ''), MAX_TITLE);
  return textEvent({ eventId: uuid(), tabId: tab.id, fieldId, source, url, title, text }, now());
}

const LETTER = /\p{L}/u;

// One search, one incident. A results page shows the query it was given (its heading, "results for …",
// suggestions), so its page text would make a second incident of the same words next to the search's
// own. The results page's text is sent without the query's words here, in the extension, because here
// both are known for certain and at once: the page's URL is the search, so nothing has to be remembered
// and the order in which the search and the page text arrive does not matter. The other place, the
// device pipeline's repeat filter taking the same phrase from the same tab within seconds as one, would
// also merge what must stay apart (two people in a chat writing the same words a second apart are two
// incidents) and would depend on which event comes first. What else the page shows is still read.
// Its snippets quote the threat too, with other words around it ("some nights I think I will kill
// myself"): only the matcher knows that is the searched phrase, so the results page's text carries the
// search's fieldId (searchFieldId, or the typed field the search came from), and the host, which keys
// repeats on the fieldId, takes the same phrase there as the search's hit again. A phrase the search did
// not have is still a new incident.
/** Page text of a search results page without the query's words (spaces and case aside). */
export function withoutQuery(text, url) {
  const search = searchQuery(url);
  const words = search?.query.split(' ').filter((w) => w !== '') ?? [];
  if (words.length === 0) {
    return text;
  }
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  const query = new RegExp(`(?<![\\p{L}\\p{N}])${escaped.join('\\s+')}(?![\\p{L}\\p{N}])`, 'giu');
  return text.replace(query, ' ');
}

/** The text event for a 'typed' message (kept for callers that only take typed text). */
export function makeTypedEvent(message, sender, deps) {
  return message?.type === 'typed' ? makeTextEvent(message, sender, deps) : null;
}

/**
 * The text event for a search found in a tab's URL. fieldId is `query:<engine>:<query>` (searchFieldId),
 * so the same search again in that tab (another results page, images) and its results page's text are
 * repeats to the host, whatever the URL.
 * @param {SearchQuery} search  from searchQuery()
 * @param {{id: number, url?: string, title?: string}} tab
 * @param {string} url  the results page's URL
 */
export function makeSearchEvent(search, tab, url, { now = () => new Date(), uuid = () => crypto.randomUUID() } = {}) {
  if (!tab || !Number.isInteger(tab.id) || tab.id < 0 || typeof search?.query !== 'string' || search.query.trim() === '') {
    return null;
  }
  const pageUrl = webUrl(url) ?? webUrl(tab.url);
  if (pageUrl === null) {
    return null;
  }
  const fieldId = searchFieldId(search);
  const title = capStart(typeof tab.title === 'string' ? tab.title : '', MAX_TITLE);
  const text = capStart(search.query, MAX_TEXT);
  return textEvent({ eventId: uuid(), tabId: tab.id, fieldId, source: 'search', url: pageUrl, title, text }, now());
}
