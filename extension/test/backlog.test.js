import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBacklog, EVENT_KEY_PREFIX, STATS_KEY, supersedes, utf8Length } from '../background/backlog.js';
import { fakeStorage, silentLog } from '../test-support/fakes.js';
import { fakeIndexedDB, rawBacklog } from '../test-support/indexeddb.js';

// One browser profile: its IndexedDB (which outlives the browser) and its chrome.storage.session
// (which does not). Each open() is a (re)started service worker on it.
function profile({ storage = fakeStorage(), indexedDB = fakeIndexedDB(), ...defaults } = {}) {
  return {
    storage,
    indexedDB,
    open: (options = {}) => createBacklog({ storage, indexedDB, log: silentLog, ...defaults, ...options }),
    /** The browser closed and opened again: session storage is gone, IndexedDB stays. */
    restartBrowser() {
      storage.data.clear();
    },
  };
}

function contains(bytes, text) {
  return Buffer.from(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes).includes(Buffer.from(text, 'utf8'));
}

let counter = 0;
function event(fields = {}) {
  counter += 1;
  return {
    eventId: `e${counter}`,
    tabId: 1,
    fieldId: `f${counter}`,
    source: 'typed',
    url: 'https://example.org/',
    title: 't',
    text: `text ${counter}`,
    occurredAt: '2026-01-01T00:00:00.000Z',
    localOffsetMinutes: 0,
    ...fields,
  };
}

describe('backlog', () => {
  it('adds, lists oldest first, and forgets acked events', async () => {
    const backlog = profile().open();
    const a = event();
    const b = event();
    const c = event();
    await backlog.add(a);
    await backlog.add(b);
    await backlog.add(c);
    assert.deepEqual((await backlog.all()).map((e) => e.eventId), [a.eventId, b.eventId, c.eventId]);
    assert.equal(await backlog.ack(b.eventId), true);
    assert.equal(await backlog.ack(b.eventId), false);
    assert.equal(await backlog.ack('unknown'), false);
    assert.deepEqual((await backlog.all()).map((e) => e.eventId), [a.eventId, c.eventId]);
    assert.equal((await backlog.stats()).count, 2);
  });

  it('is sealed into IndexedDB before add resolves, one record an event, with no readable text', async () => {
    const device = profile();
    const backlog = device.open();
    const a = event({ text: 'I am going to run away tonight', url: 'https://chat.example.org/room-42', title: 'Room 42' });
    await backlog.add(a);
    const raw = await rawBacklog(device.indexedDB);
    assert.equal(raw.events.length, 1);
    const [[seq, record]] = raw.events;
    assert.equal(typeof seq, 'number');
    assert.deepEqual(Object.keys(record).sort(), ['iv', 'sealed']);
    assert.equal(record.iv.length, 12);
    for (const clear of [a.text, 'run away', a.url, 'chat.example.org', a.title, a.eventId, a.fieldId]) {
      assert.equal(contains(record.sealed, clear), false, clear);
    }
    assert.equal(raw.meta.stats.count, 1);
    assert.equal(JSON.stringify(raw.meta).includes('run away'), false);
    // Nothing of the event in session storage: only the counters for the status page.
    assert.deepEqual(Object.keys(device.storage.snapshot()), [STATS_KEY]);
    assert.equal(device.storage.snapshot()[STATS_KEY].count, 1);
    await backlog.ack(a.eventId);
    assert.equal((await rawBacklog(device.indexedDB)).events.length, 0);
    assert.equal(device.storage.snapshot()[STATS_KEY].count, 0);
  });

  it('seals with one AES-256-GCM key that script can use but never read, made once per profile', async () => {
    const device = profile();
    await device.open().add(event());
    const { key } = (await rawBacklog(device.indexedDB)).meta;
    assert.equal(key.constructor.name, 'CryptoKey');
    assert.equal(key.extractable, false);
    assert.deepEqual(key.algorithm, { name: 'AES-GCM', length: 256 });
    await assert.rejects(crypto.subtle.exportKey('raw', key));
    await device.open().add(event());
    assert.equal((await rawBacklog(device.indexedDB)).events.length, 2);
    const again = (await rawBacklog(device.indexedDB)).meta.key;
    // The same key: a record sealed by the first worker opens under it.
    const [[seq, record]] = (await rawBacklog(device.indexedDB)).events;
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: record.iv, additionalData: new TextEncoder().encode(String(seq)) }, again, record.sealed);
    assert.equal(JSON.parse(new TextDecoder().decode(plain)).seq, seq);
  });

  it('survives the browser closing: a backlog on the same IndexedDB sees the same events, in order, and its counters', async () => {
    const device = profile();
    const first = device.open();
    const events = [event(), event({ source: 'page', fieldId: undefined }), event()];
    for (const e of events) {
      await first.add(e);
    }
    await first.refuse(events[1].eventId);
    device.restartBrowser();
    const second = device.open();
    assert.deepEqual(await second.all(), [events[0], events[2]]);
    const stats = await second.stats();
    assert.equal(stats.count, 2);
    assert.equal(stats.sources.page.refused, 1);
    assert.equal(device.storage.snapshot()[STATS_KEY].count, 2, 'the status page sees the counters again');
  });

  it('drops a record that was altered or moved to another slot, and counts it', async () => {
    const device = profile();
    const backlog = device.open();
    const [a, b, c] = [event(), event(), event()];
    for (const e of [a, b, c]) {
      await backlog.add(e);
    }
    const raw = await rawBacklog(device.indexedDB);
    const db = await new Promise((resolve) => {
      const r = device.indexedDB.open('esafe-backlog');
      r.onsuccess = () => resolve(r.result);
    });
    const transaction = db.transaction('events', 'readwrite');
    const [[seqA, recordA], [seqB]] = raw.events;
    const flipped = new Uint8Array(recordA.sealed.slice(0));
    flipped[3] ^= 1;
    transaction.objectStore('events').put({ iv: recordA.iv, sealed: flipped.buffer }, seqA);
    transaction.objectStore('events').put(recordA, seqB); // a's sealed bytes in b's slot
    await new Promise((resolve) => {
      transaction.oncomplete = resolve;
    });
    db.close();
    const restarted = device.open();
    assert.deepEqual((await restarted.all()).map((e) => e.eventId), [c.eventId]);
    assert.equal((await restarted.stats()).dropped, 2);
    assert.equal((await rawBacklog(device.indexedDB)).events.length, 1, 'the broken records are gone');
  });

  it('takes over, once, the events an older version left in chrome.storage.session', async () => {
    const [a, b] = [event({ text: 'kept by the old version' }), event({ source: 'page', fieldId: undefined })];
    const storage = fakeStorage({
      [EVENT_KEY_PREFIX + b.eventId]: { seq: 7, event: b },
      [EVENT_KEY_PREFIX + a.eventId]: { seq: 3, event: a },
      [STATS_KEY]: { count: 2, bytes: 1, dropped: 4, sources: { typed: { dropped: 4, delivered: 9 } } },
      connection: { state: 'open' },
    });
    const device = profile({ storage });
    const backlog = device.open();
    assert.deepEqual(await backlog.all(), JSON.parse(JSON.stringify([a, b])));
    const stats = await backlog.stats();
    assert.deepEqual([stats.count, stats.dropped, stats.sources.typed.delivered], [2, 4, 9]);
    assert.deepEqual(Object.keys(storage.snapshot()).sort(), ['backlog:stats', 'connection'], 'the old keys are gone');
    const raw = await rawBacklog(device.indexedDB);
    assert.equal(raw.events.length, 2);
    assert.equal(raw.meta.migrated, true);
    // Once: a session key seen later is not the old version's (it never writes again) and is left alone.
    const stray = event();
    await storage.set({ [EVENT_KEY_PREFIX + stray.eventId]: { seq: 1, event: stray } });
    assert.deepEqual((await device.open().all()).map((e) => e.eventId), [a.eventId, b.eventId]);
  });

  it('fails to add (so the content script sends again) when IndexedDB cannot be opened', async () => {
    const broken = { open: () => { throw new Error('IndexedDB is disabled'); } };
    const backlog = profile({ indexedDB: broken }).open();
    await assert.rejects(backlog.add(event()), /disabled/);
    await assert.rejects(profile({ indexedDB: null }).open().add(event()), /not available/);
  });

  it('survives a restarted worker: a new backlog on the same storage sees the same events in order', async () => {
    const device = profile();
    const first = device.open();
    const events = [event(), event(), event(), event()];
    for (const e of events) {
      await first.add(e);
    }
    await first.ack(events[1].eventId);
    const second = device.open();
    assert.deepEqual((await second.all()).map((e) => e.eventId), [events[0], events[2], events[3]].map((e) => e.eventId));
    const later = event();
    await second.add(later);
    const third = device.open();
    assert.equal((await third.all()).at(-1).eventId, later.eventId);
    assert.deepEqual(await third.stats(), await second.stats());
  });

  it('keeps at most maxEvents, dropping the oldest and counting drops', async () => {
    const device = profile();
    const backlog = device.open({ maxEvents: 3 });
    const events = Array.from({ length: 5 }, () => event());
    for (const e of events) {
      await backlog.add(e);
    }
    assert.deepEqual((await backlog.all()).map((e) => e.eventId), events.slice(2).map((e) => e.eventId));
    assert.equal((await backlog.stats()).dropped, 2);
    assert.equal((await rawBacklog(device.indexedDB)).events.length, 3);
    // The drop count survives a restart too.
    assert.equal((await device.open().stats()).dropped, 2);
  });

  it('keeps at most maxBytes', async () => {
    const backlog = profile().open({ maxBytes: 3000 });
    for (let i = 0; i < 10; i++) {
      await backlog.add(event({ text: 'x'.repeat(900) }));
    }
    const stats = await backlog.stats();
    assert.ok(stats.bytes <= 3000, `bytes ${stats.bytes}`);
    assert.equal(stats.count, 2);
    assert.equal(stats.dropped, 8);
  });

  it('has defaults of 1000 events and 5 MB', async () => {
    const backlog = profile().open();
    for (let i = 0; i < 1005; i++) {
      await backlog.add(event());
    }
    assert.equal((await backlog.stats()).count, 1000);
    const big = profile().open();
    const text = 'é'.repeat(65536); // 128 KB of UTF-8
    for (let i = 0; i < 50; i++) {
      await big.add(event({ text }));
    }
    const stats = await big.stats();
    assert.ok(stats.bytes <= 5 * 1024 * 1024);
    assert.ok(stats.bytes > 5 * 1024 * 1024 - 132 * 1024, 'full up to one event');
    assert.ok(stats.dropped > 0);
    assert.equal(stats.count + stats.dropped, 50);
  });

  it('replaces an older draft of the same field that the new text contains', async () => {
    const backlog = profile().open();
    const first = event({ fieldId: 'same', text: 'I want to' });
    const other = event({ fieldId: 'other', text: 'unrelated' });
    const second = event({ fieldId: 'same', text: 'I want to hurt' });
    const edited = event({ fieldId: 'same', text: 'I want' }); // deleted words: keeps the longer draft
    await backlog.add(first);
    await backlog.add(other);
    const result = await backlog.add(second);
    assert.equal(result.superseded, 1);
    await backlog.add(edited);
    assert.deepEqual((await backlog.all()).map((e) => e.text), ['unrelated', 'I want to hurt', 'I want']);
    assert.equal((await backlog.stats()).dropped, 0);
  });

  it('supersedes only typed text of the same field in the same tab', () => {
    const old = event({ fieldId: 'f', text: 'abc' });
    assert.equal(supersedes(event({ fieldId: 'f', text: 'xabcx' }), old), true);
    assert.equal(supersedes(event({ fieldId: 'f', text: 'ab' }), old), false);
    assert.equal(supersedes(event({ fieldId: 'g', text: 'abc' }), old), false);
    assert.equal(supersedes(event({ fieldId: 'f', tabId: 2, text: 'abc' }), old), false);
    assert.equal(supersedes(event({ fieldId: 'f', source: 'page', text: 'abc' }), old), false);
  });

  it('keeps serving from memory when storage fails', async () => {
    const storage = fakeStorage();
    storage.set = async () => {
      throw new Error('QUOTA_BYTES quota exceeded');
    };
    const subtle = {
      generateKey: (...args) => crypto.subtle.generateKey(...args),
      decrypt: (...args) => crypto.subtle.decrypt(...args),
      encrypt: async () => {
        throw new Error('The operation failed for an operation-specific reason');
      },
    };
    const backlog = profile({ storage }).open({ subtle });
    const a = event();
    await backlog.add(a);
    assert.deepEqual((await backlog.all()).map((e) => e.eventId), [a.eventId]);
  });

  it('runs operations in turn even when not awaited one by one', async () => {
    const device = profile();
    const backlog = device.open();
    const events = Array.from({ length: 20 }, () => event());
    await Promise.all([...events.map((e) => backlog.add(e)), backlog.ack(events[0].eventId)]);
    const restarted = device.open();
    assert.deepEqual((await restarted.all()).map((e) => e.eventId), events.slice(1).map((e) => e.eventId));
  });

  it('measures UTF-8 like storage does', () => {
    assert.equal(utf8Length('abc'), 3);
    assert.equal(utf8Length('é'), 2);
    assert.equal(utf8Length('€'), 3);
    assert.equal(utf8Length('😀'), 4);
    assert.equal(utf8Length('\ud800'), 3);
    assert.equal(utf8Length('x😀é€'), Buffer.byteLength('x😀é€'));
  });

  it('bounds each source on its own: a flood of page text only pushes out older page text', async () => {
    const backlog = profile().open({
      maxEvents: 20,
      sourceBounds: { typed: { maxEvents: 20 }, search: { maxEvents: 3 }, page: { maxEvents: 5 } },
    });
    const typed = [event(), event(), event()];
    for (const e of typed) {
      await backlog.add(e);
    }
    for (let i = 0; i < 50; i++) {
      await backlog.add(event({ source: 'page', fieldId: undefined, text: `page chunk ${i}` }));
    }
    for (let i = 0; i < 10; i++) {
      await backlog.add(event({ source: 'search', fieldId: `search:google`, text: `query ${i}` }));
    }
    const all = await backlog.all();
    assert.deepEqual(all.filter((e) => e.source === 'typed').map((e) => e.eventId), typed.map((e) => e.eventId));
    assert.deepEqual(all.filter((e) => e.source === 'page').map((e) => e.text), [45, 46, 47, 48, 49].map((i) => `page chunk ${i}`));
    assert.deepEqual(all.filter((e) => e.source === 'search').map((e) => e.text), ['query 7', 'query 8', 'query 9']);
    const stats = await backlog.stats();
    assert.equal(stats.sources.typed.count, 3);
    assert.equal(stats.sources.typed.dropped, 0);
    assert.equal(stats.sources.page.count, 5);
    assert.equal(stats.sources.page.dropped, 45);
    assert.equal(stats.sources.search.dropped, 7);
    assert.equal(stats.dropped, 52);
  });

  it('lets typed text take room from page text and searches, never the other way round', async () => {
    const backlog = profile().open({ maxEvents: 6 });
    for (let i = 0; i < 3; i++) {
      await backlog.add(event({ source: 'page', fieldId: undefined, text: `page ${i}` }));
    }
    await backlog.add(event({ source: 'search', fieldId: 'search:bing', text: 'q' }));
    for (let i = 0; i < 5; i++) {
      await backlog.add(event({ text: `typed ${i}` }));
    }
    let all = await backlog.all();
    assert.deepEqual(all.map((e) => e.text), ['q', 'typed 0', 'typed 1', 'typed 2', 'typed 3', 'typed 4'], 'page text went first');
    await backlog.add(event({ text: 'typed 5' }));
    all = await backlog.all();
    assert.deepEqual(all.map((e) => e.text), ['typed 0', 'typed 1', 'typed 2', 'typed 3', 'typed 4', 'typed 5'], 'then the search');
    // Full of typed text: new page text and searches are dropped themselves.
    const page = await backlog.add(event({ source: 'page', fieldId: undefined, text: 'more page' }));
    const search = await backlog.add(event({ source: 'search', fieldId: 'search:bing', text: 'q2' }));
    assert.equal(page.kept, false);
    assert.equal(search.kept, false);
    all = await backlog.all();
    assert.equal(all.length, 6);
    assert.ok(all.every((e) => e.source === 'typed'));
    // Typed text still makes room for itself.
    const typed = await backlog.add(event({ text: 'typed 6' }));
    assert.equal(typed.kept, true);
    assert.equal((await backlog.all()).at(-1).text, 'typed 6');
    const stats = await backlog.stats();
    assert.deepEqual([stats.sources.page.dropped, stats.sources.search.dropped, stats.sources.typed.dropped], [4, 2, 1]);
  });

  it('counts what the host acknowledged and refused per source, across a restart', async () => {
    const device = profile();
    const backlog = device.open();
    const t = event();
    const p = event({ source: 'page', fieldId: undefined });
    const q = event({ source: 'search', fieldId: 'search:google' });
    for (const e of [t, p, q]) {
      await backlog.add(e);
    }
    await backlog.ack(t.eventId);
    await backlog.ack(p.eventId);
    await backlog.refuse(q.eventId);
    const restarted = device.open();
    const stats = await restarted.stats();
    assert.equal(stats.count, 0);
    assert.deepEqual(stats.sources.typed, { count: 0, bytes: 0, dropped: 0, delivered: 1, refused: 0 });
    assert.deepEqual(stats.sources.page, { count: 0, bytes: 0, dropped: 0, delivered: 1, refused: 0 });
    assert.deepEqual(stats.sources.search, { count: 0, bytes: 0, dropped: 0, delivered: 0, refused: 1 });
    await restarted.add(event({ source: 'page', fieldId: undefined }));
    assert.equal((await device.open().stats()).sources.page.count, 1);
  });

  it('keeps page text within 2 MB by default, whatever the host does', async () => {
    const backlog = profile().open();
    const chunk = 'p'.repeat(16 * 1024);
    for (let i = 0; i < 200; i++) {
      await backlog.add(event({ source: 'page', fieldId: undefined, text: chunk }));
    }
    const stats = await backlog.stats();
    assert.ok(stats.sources.page.bytes <= 2 * 1024 * 1024);
    assert.ok(stats.sources.page.count >= 120);
    assert.equal(stats.sources.page.count + stats.sources.page.dropped, 200);
  });
});
