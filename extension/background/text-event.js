// Turns a content script's 'typed' message into a text event as PROTOCOL.md defines it, within the
// limits the host checks (core/eSafe.Incidents/TextEvent.cs), so the host never has to refuse one.
// The message comes from a web page's renderer: every field is checked, none is trusted for its shape.

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

/** An http(s) URL the host will take, shortened to its limit, or null. */
export function webUrl(url) {
  if (typeof url !== 'string' || !/^https?:\/\/[^/?#]/i.test(url)) {
    return null;
  }
  return capStart(url, MAX_URL);
}

/**
 * The text event for a 'typed' message, or null when there is nothing the host could use.
 * @param {object} message  {type:'typed', fieldId, text, url, title} from content/typing.js
 * @param {chrome.runtime.MessageSender} sender  Chrome's record of who sent it
 * @param {{now?: () => Date, uuid?: () => string}} deps  the clock and ID source, for tests
 */
export function makeTypedEvent(message, sender, { now = () => new Date(), uuid = () => crypto.randomUUID() } = {}) {
  if (message?.type !== 'typed' || typeof message.text !== 'string') {
    return null;
  }
  const fieldId = message.fieldId;
  if (typeof fieldId !== 'string' || fieldId.length === 0 || fieldId.length > MAX_FIELD_ID) {
    return null;
  }
  const tab = sender?.tab;
  if (!tab || !Number.isInteger(tab.id) || tab.id < 0) {
    return null;
  }
  // The frame's URL as Chrome saw it; an about:blank or srcdoc frame reports its tab's page.
  const url = webUrl(sender.url) ?? webUrl(tab.url);
  if (url === null) {
    return null;
  }
  const text = capEnd(message.text);
  if (text.trim() === '') {
    return null;
  }
  const frameTitle = typeof message.title === 'string' ? message.title : '';
  const title = capStart(frameTitle.trim() !== '' ? frameTitle : (tab.title ?? ''), MAX_TITLE);
  const at = now();
  return {
    eventId: uuid(),
    tabId: tab.id,
    fieldId,
    source: 'typed',
    url,
    title,
    text,
    occurredAt: at.toISOString(),
    // getTimezoneOffset is minutes behind UTC; the protocol wants minutes ahead. `|| 0` avoids -0.
    localOffsetMinutes: -at.getTimezoneOffset() || 0,
  };
}
