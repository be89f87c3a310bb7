import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capEnd, capStart, makeSearchEvent, makeTextEvent, makeTypedEvent, MAX_TEXT, webUrl } from '../background/text-event.js';

// The fields of a text event in docs/PROTOCOL.md (and core/eSafe.Incidents/TextEvent.cs).
const PROTOCOL_FIELDS = ['eventId', 'tabId', 'fieldId', 'source', 'url', 'title', 'text', 'occurredAt', 'localOffsetMinutes'];

const sender = {
  id: 'hiipfkacdajbinoadfgohldjcebaoijj',
  tab: { id: 42, url: 'https://pupil.example/page', title: 'Tab title' },
  frameId: 0,
  url: 'https://pupil.example/page',
};
const message = { type: 'typed', fieldId: 'abc123-1', text: 'hello there', url: 'https://pupil.example/page', title: 'Frame title' };
const at = new Date('2026-03-01T10:20:30.456Z');
const deps = { now: () => at, uuid: () => '1b4e28ba-2fa1-11d2-883f-0016d3cca427' };

describe('text event', () => {
  it('has every field of the protocol and nothing else', () => {
    const event = makeTypedEvent(message, sender, deps);
    assert.deepEqual(Object.keys(event).sort(), [...PROTOCOL_FIELDS].sort());
    assert.deepEqual(event, {
      eventId: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
      tabId: 42,
      fieldId: 'abc123-1',
      source: 'typed',
      url: 'https://pupil.example/page',
      title: 'Frame title',
      text: 'hello there',
      occurredAt: '2026-03-01T10:20:30.456Z',
      localOffsetMinutes: -at.getTimezoneOffset() || 0,
    });
  });

  it('has the types the host expects', () => {
    const event = makeTypedEvent(message, sender);
    assert.match(event.eventId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.ok(Number.isInteger(event.tabId));
    assert.ok(Number.isInteger(event.localOffsetMinutes));
    assert.ok(Math.abs(event.localOffsetMinutes) <= 14 * 60);
    assert.match(event.occurredAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(Math.abs(Date.parse(event.occurredAt) - Date.now()) < 5000);
    // Survives JSON, as it travels.
    assert.deepEqual(JSON.parse(JSON.stringify(event)), event);
  });

  it("uses the frame's URL from Chrome, and the tab's for about:blank frames", () => {
    const frame = { ...sender, frameId: 7, url: 'https://ads.example/frame' };
    assert.equal(makeTypedEvent(message, frame, deps).url, 'https://ads.example/frame');
    const blank = { ...sender, frameId: 8, url: 'about:blank' };
    assert.equal(makeTypedEvent(message, blank, deps).url, 'https://pupil.example/page');
  });

  it("uses the tab's title when the frame has none", () => {
    assert.equal(makeTypedEvent({ ...message, title: '' }, sender, deps).title, 'Tab title');
    assert.equal(makeTypedEvent({ ...message, title: undefined }, { ...sender, tab: { ...sender.tab, title: undefined } }, deps).title, '');
  });

  it('keeps within the limits the host checks', () => {
    const longUrl = `https://pupil.example/?q=${'q'.repeat(9000)}`;
    const event = makeTypedEvent({ ...message, url: longUrl, text: 'y'.repeat(MAX_TEXT + 10) + 'END', title: 't'.repeat(5000) }, { ...sender, url: longUrl }, deps);
    assert.equal(event.text.length, MAX_TEXT);
    assert.ok(event.text.endsWith('END'));
    assert.equal(event.title.length, 1024);
    assert.equal(event.url.length, 8192);
  });

  it("takes the page's own URL after pushState, but only from the frame's origin", () => {
    const frame = { ...sender, url: 'https://chat.example/app' };
    assert.equal(makeTypedEvent({ ...message, url: 'https://chat.example/app/room/7' }, frame, deps).url, 'https://chat.example/app/room/7');
    assert.equal(makeTypedEvent({ ...message, url: 'https://elsewhere.example/' }, frame, deps).url, 'https://chat.example/app');
    assert.equal(makeTypedEvent({ ...message, url: 'javascript:alert(1)' }, frame, deps).url, 'https://chat.example/app');
  });

  it('refuses what the host could not use', () => {
    assert.equal(makeTypedEvent({ ...message, type: 'other' }, sender, deps), null);
    assert.equal(makeTypedEvent({ ...message, text: 42 }, sender, deps), null);
    assert.equal(makeTypedEvent({ ...message, text: '  \n ' }, sender, deps), null);
    assert.equal(makeTypedEvent({ ...message, fieldId: '' }, sender, deps), null);
    assert.equal(makeTypedEvent({ ...message, fieldId: 'x'.repeat(200) }, sender, deps), null);
    assert.equal(makeTypedEvent(message, { ...sender, tab: undefined }, deps), null);
    assert.equal(makeTypedEvent(message, { ...sender, tab: { id: -1 } }, deps), null);
    assert.equal(makeTypedEvent(message, { ...sender, url: 'chrome://settings', tab: { id: 3, url: 'chrome://settings' } }, deps), null);
    assert.equal(makeTypedEvent(null, sender, deps), null);
  });

  it('caps strings without splitting surrogate pairs', () => {
    assert.equal(capEnd('a😀b', 2), 'b');
    assert.equal(capStart('a😀b', 2), 'a');
    assert.equal(capStart('abc', 5), 'abc');
    assert.equal(webUrl('ftp://x'), null);
    assert.equal(webUrl('HTTPS://Example.org/'), 'HTTPS://Example.org/');
    assert.equal(webUrl('https:///nohost'), null);
  });

  it('makes page text a page event without a fieldId, keeping the start of over-long text', () => {
    const page = { type: 'page', text: `START${'p'.repeat(MAX_TEXT)}`, url: 'https://pupil.example/page', title: 'Frame title', chunk: 3 };
    const event = makeTextEvent(page, sender, deps);
    assert.deepEqual(Object.keys(event).sort(), PROTOCOL_FIELDS.filter((f) => f !== 'fieldId').sort());
    assert.equal(event.source, 'page');
    assert.equal(event.text.length, MAX_TEXT);
    assert.ok(event.text.startsWith('START'));
    assert.equal(event.title, 'Frame title');
    // A page message's fieldId, if any, is not used.
    assert.equal('fieldId' in makeTextEvent({ ...page, fieldId: 'x' }, sender, deps), false);
    assert.equal(makeTextEvent({ ...page, text: '  ' }, sender, deps), null);
    assert.equal(makeTextEvent({ ...page, type: 'search' }, sender, deps), null, 'searches come from the worker only');
    assert.equal(makeTypedEvent(page, sender, deps), null);
  });

  it('makes a search a search event with fieldId query:<engine>:<query>, the URL and the tab title', () => {
    const tab = { id: 9, url: 'https://www.google.com/search?q=old', title: 'sad songs - Google Search' };
    const event = makeSearchEvent({ engine: 'google', query: 'sad songs' }, tab, 'https://www.google.com/search?q=sad+songs', deps);
    assert.deepEqual(Object.keys(event).sort(), [...PROTOCOL_FIELDS].sort());
    assert.deepEqual(event, {
      eventId: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
      tabId: 9,
      fieldId: 'query:google:sad songs',
      source: 'search',
      url: 'https://www.google.com/search?q=sad+songs',
      title: 'sad songs - Google Search',
      text: 'sad songs',
      occurredAt: '2026-03-01T10:20:30.456Z',
      localOffsetMinutes: -at.getTimezoneOffset() || 0,
    });
    assert.equal(makeSearchEvent({ engine: 'google', query: 'x' }, { id: -1 }, 'https://www.google.com/', deps), null);
    assert.equal(makeSearchEvent({ engine: 'google', query: ' ' }, tab, 'https://www.google.com/', deps), null);
    assert.equal(makeSearchEvent({ engine: 'google', query: 'x' }, { id: 1 }, 'chrome://newtab', deps), null);
  });
});

describe('a search results page and its query (one search, one incident)', () => {
  const results = 'https://www.google.com/search?q=how+to+kill+myself';
  const onResults = { ...sender, url: results, tab: { ...sender.tab, url: results } };
  const page = (text) => ({ type: 'page', text, url: results, title: 'how to kill myself - Search', chunk: 0 });

  it("sends the results page's text without the query it echoes, whatever its spaces and case", () => {
    const event = makeTextEvent(page('Results for “How to  KILL myself”\nhow to kill myself meaning\nWeather today'), onResults, deps);
    assert.equal(event.text, 'Results for “ ”\n  meaning\nWeather today');
  });

  it("gives the results page's text its search's field, so the host takes a snippet's same phrase as the search's", () => {
    const event = makeTextEvent(page('Forum: some nights I think I will kill myself'), onResults, deps);
    assert.equal(event.fieldId, 'query:google:how to kill myself');
    assert.equal(event.fieldId, makeSearchEvent({ engine: 'google', query: 'how to kill myself' }, onResults.tab, results, deps).fieldId);
    const typedThere = makeTextEvent(page('Forum: some nights I think I will kill myself'), onResults, { ...deps, fieldOfSearch: () => 'q-2' });
    assert.equal(typedThere.fieldId, 'q-2', 'the typed field the search came from, when the filter knows one');
    const forum = 'https://forum.example/post';
    assert.equal('fieldId' in makeTextEvent({ ...page('kill myself'), url: forum }, { ...sender, url: forum, tab: { ...sender.tab, url: forum } }, deps), false);
  });

  it('keeps the same words elsewhere on the page, and on pages that are no search', () => {
    assert.equal(makeTextEvent(page('Kim: some days i want to kill myself'), onResults, deps).text, 'Kim: some days i want to kill myself');
    const elsewhere = { ...page('how to kill myself'), url: 'https://forum.example/post' };
    const fromForum = { ...sender, url: 'https://forum.example/post', tab: { ...sender.tab, url: 'https://forum.example/post' } };
    assert.equal(makeTextEvent(elsewhere, fromForum, deps).text, 'how to kill myself');
  });

  it('sends nothing when the page showed only the query, and never strips inside words or typed text', () => {
    assert.equal(makeTextEvent(page('how to kill myself “”'), onResults, deps), null);
    const oneWord = 'https://www.bing.com/search?q=art';
    const bing = { ...sender, url: oneWord, tab: { ...sender.tab, url: oneWord } };
    assert.equal(makeTextEvent({ ...page('art and smart parts'), url: oneWord }, bing, deps).text, '  and smart parts');
    assert.equal(makeTextEvent({ ...message, text: 'how to kill myself', url: results }, onResults, deps).text, 'how to kill myself');
  });
});
