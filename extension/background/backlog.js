// @ts-check
// Text events not acknowledged yet. Kept in IndexedDB, sealed (backlog-store.js), so they survive a
// stopped service worker and the browser closing (an offline Chromebook, a PC whose host is missing),
// and mirrored in memory; every operation runs in turn, so a restarted worker sees exactly what was
// persisted. The counters (no text) are also copied to chrome.storage.session for the status page.
// Events an older version left in chrome.storage.session (one key per event) are taken over once.

import { createBacklogStore } from './backlog-store.js';

export const EVENT_KEY_PREFIX = 'backlog:event:';
export const STATS_KEY = 'backlog:stats';
export const MAX_EVENTS = 1000;
// The bounds chrome.storage.session imposed (half its 10 MB) are kept: IndexedDB has room for more,
// but a pupil's machine should not carry more than this.
export const MAX_BYTES = 5 * 1024 * 1024;
export const SOURCES = Object.freeze(['typed', 'search', 'page']);
// Each source has its own bounds inside the overall ones, so a flood of page text (a long chat, an
// infinite feed while the host is missing) only ever pushes out older page text. Typed text may use the
// whole backlog: when the overall bounds are reached, page text goes first, then searches, and typed
// text only makes room for typed text.
export const SOURCE_BOUNDS = Object.freeze({
  typed: Object.freeze({ maxEvents: MAX_EVENTS, maxBytes: MAX_BYTES }),
  search: Object.freeze({ maxEvents: 200, maxBytes: 256 * 1024 }),
  page: Object.freeze({ maxEvents: 300, maxBytes: 2 * 1024 * 1024 }),
});
// Lower ranks are kept longer.
const RANK = { typed: 0, search: 1, page: 2 };

function sourceOf(event) {
  return Object.hasOwn(RANK, event?.source) ? event.source : 'typed';
}

function emptyCounts() {
  return Object.fromEntries(SOURCES.map((s) => [s, { count: 0, bytes: 0, dropped: 0, delivered: 0, refused: 0 }]));
}

/** The UTF-8 size of a string, without allocating. */
export function utf8Length(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      bytes += 1;
    } else if (code < 0x800) {
      bytes += 2;
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i += 1;
      } else {
        bytes += 3;
      }
    } else {
      bytes += 3;
    }
  }
  return bytes;
}

// An event's size as chrome.storage.session charged it (its key's name plus the record's JSON): the
// bounds are counted the same way as before the move to IndexedDB.
function sizeOf(key, record) {
  return key.length + utf8Length(JSON.stringify(record));
}

// A newer text of the same field that contains all of an older one makes the older one redundant:
// whatever matched in it matches in the newer text too. Without this an hour of typing with no host
// would fill the backlog with drafts of the same essay.
export function supersedes(newer, older) {
  return newer.source === 'typed' && older.source === 'typed'
    && older.fieldId != null && older.fieldId === newer.fieldId
    && older.tabId === newer.tabId
    && newer.text.includes(older.text);
}

/**
 * @param {object} deps
 * @param {StorageArea|null} deps.storage  chrome.storage.session
 *        (or a fake): an older version's backlog to take over, and where the counters are mirrored
 * @param {IDBFactory} [deps.indexedDB]  defaults to the worker's
 * @param {SubtleCrypto} [deps.subtle]  defaults to the worker's
 * @param {string} [deps.dbName]  the database (tests give each their own)
 * @param {number} [deps.maxEvents]  the most events kept, all sources together
 * @param {number} [deps.maxBytes]  the most bytes kept, all sources together
 * @param {Record<ProtocolTextEvent['source'], {maxEvents: number, maxBytes: number}>} [deps.sourceBounds]  each source's own bounds
 * @param {Log} [deps.log]
 */
export function createBacklog({
  storage = null,
  indexedDB = globalThis.indexedDB,
  subtle = globalThis.crypto?.subtle,
  dbName,
  maxEvents = MAX_EVENTS,
  maxBytes = MAX_BYTES,
  sourceBounds = SOURCE_BOUNDS,
  log = console,
}) {
  const store = createBacklogStore({ indexedDB, subtle, ...(dbName ? { dbName } : {}) });
  let entries = null; // [{key, seq, size, source, event}], oldest first
  let nextSeq = 1;
  let bytes = 0;
  let dropped = 0;
  // Per source: what waits (count, bytes) and what happened to the rest (dropped, delivered:
  // acknowledged by the host or server, refused: rejected as bad input).
  let counts = emptyCounts();
  /** @type {Promise<unknown>} */
  let queue = Promise.resolve();

  /**
   * @template T
   * @param {() => Promise<T>} operation
   * @returns {Promise<T>}
   */
  function inTurn(operation) {
    const result = queue.then(operation);
    queue = result.catch(() => {});
    return result;
  }

  function boundsOf(source) {
    const own = sourceBounds[source] ?? {};
    return { maxEvents: Math.min(own.maxEvents ?? maxEvents, maxEvents), maxBytes: Math.min(own.maxBytes ?? maxBytes, maxBytes) };
  }

  function entryOf(record) {
    const key = EVENT_KEY_PREFIX + record.event.eventId;
    return { key, seq: record.seq, size: sizeOf(key, record), source: sourceOf(record.event), event: record.event };
  }

  function restoreCounters(storedStats) {
    dropped = Number(storedStats?.dropped) || 0;
    counts = emptyCounts();
    for (const source of SOURCES) {
      for (const field of ['dropped', 'delivered', 'refused']) {
        counts[source][field] = Number(storedStats?.sources?.[source]?.[field]) || 0;
      }
    }
  }

  // The events an older version kept in chrome.storage.session, once: each goes through add's bounds
  // and is sealed into IndexedDB before its session key is removed.
  async function migrate(legacyStats) {
    let stored;
    try {
      stored = await storage.get(null);
    } catch (error) {
      log.warn('eSafe: could not read the old session backlog:', error?.message ?? error);
      return;
    }
    const legacy = Object.entries(stored ?? {})
      .filter(([key, record]) => key.startsWith(EVENT_KEY_PREFIX) && typeof record?.event?.eventId === 'string')
      .sort(([, a], [, b]) => (Number(a.seq) || 0) - (Number(b.seq) || 0));
    if (legacyStats === null && stored?.[STATS_KEY]) {
      restoreCounters(stored[STATS_KEY]);
    }
    const put = [];
    const remove = [];
    for (const [, record] of legacy) {
      if (entries.some((e) => e.event.eventId === record.event.eventId)) {
        continue;
      }
      const change = insert(record.event);
      remove.push(...change.removed);
      if (change.record) {
        put.push(change.record);
      }
    }
    const kept = new Set(entries.map((e) => e.seq));
    await store.write({ put: put.filter((r) => kept.has(r.seq)), remove, stats: stats(), migrated: true });
    if (legacy.length > 0) {
      await persist(() => storage.remove(legacy.map(([key]) => key)));
      log.warn(`eSafe: moved ${legacy.length} event(s) from the session backlog to IndexedDB`);
    }
  }

  async function load() {
    if (entries !== null) {
      return;
    }
    const loaded = await store.load();
    const list = loaded.records.map(entryOf);
    list.sort((a, b) => a.seq - b.seq);
    entries = list;
    bytes = list.reduce((sum, e) => sum + e.size, 0);
    nextSeq = list.reduce((max, e) => Math.max(max, e.seq), 0) + 1;
    restoreCounters(loaded.stats);
    for (const e of list) {
      counts[e.source].count += 1;
      counts[e.source].bytes += e.size;
    }
    if (loaded.unreadable > 0) {
      dropped += loaded.unreadable;
      log.warn(`eSafe: ${loaded.unreadable} backlog record(s) could not be opened and were removed`);
    }
    if (!loaded.migrated && storage) {
      try {
        await migrate(loaded.stats);
      } catch (error) {
        log.warn('eSafe: could not take over the old session backlog:', error?.message ?? error);
      }
    }
    await mirror();
  }

  function stats() {
    return { count: entries.length, bytes, dropped, sources: structuredClone(counts) };
  }

  function removeAt(index) {
    const [entry] = entries.splice(index, 1);
    bytes -= entry.size;
    counts[entry.source].count -= 1;
    counts[entry.source].bytes -= entry.size;
    return entry.seq;
  }

  function oldestOf(predicate) {
    return entries.findIndex(predicate);
  }

  // Storage failing (quota, shutdown) must not lose the event from memory: it is still sent.
  async function persist(operation) {
    try {
      await operation();
    } catch (error) {
      log.warn('eSafe: could not persist the backlog:', error?.message ?? error);
    }
  }

  // The counters for the status page (and the heartbeat), which read chrome.storage.session.
  async function mirror() {
    if (storage) {
      await persist(() => storage.set({ [STATS_KEY]: stats() }));
    }
  }

  // Makes room for an event of `source` and `size`: the oldest of its own source beyond that
  // source's bounds, then beyond the overall bounds the oldest of the least kept source that ranks
  // no higher than it. False when there is no room it may take (the new event is the one dropped).
  function makeRoom(source, size, removed) {
    const own = boundsOf(source);
    if (size > own.maxBytes) {
      return { fits: false, droppedNow: 0 };
    }
    let droppedNow = 0;
    const drop = (index) => {
      const victim = entries[index].source;
      removed.push(removeAt(index));
      counts[victim].dropped += 1;
      droppedNow += 1;
    };
    for (;;) {
      const c = counts[source];
      if (c.count + 1 <= own.maxEvents && c.bytes + size <= own.maxBytes) {
        break;
      }
      const index = oldestOf((e) => e.source === source);
      if (index < 0) {
        return { fits: false, droppedNow };
      }
      drop(index);
    }
    while (entries.length + 1 > maxEvents || bytes + size > maxBytes) {
      let index = -1;
      for (const candidate of [...SOURCES].sort((a, b) => RANK[b] - RANK[a])) {
        if (RANK[candidate] < RANK[source]) {
          break;
        }
        index = oldestOf((e) => e.source === candidate);
        if (index >= 0) {
          break;
        }
      }
      if (index < 0) {
        return { fits: false, droppedNow };
      }
      drop(index);
    }
    return { fits: true, droppedNow };
  }

  // The in-memory half of add: supersedes, makes room, counts. Returns the seqs removed and the
  // record to store (null when the event itself was dropped).
  function insert(event) {
    const key = EVENT_KEY_PREFIX + event.eventId;
    const source = sourceOf(event);
    const record = { seq: nextSeq++, event };
    const size = sizeOf(key, record);
    const removed = [];
    let superseded = 0;
    for (let i = entries.length - 1; i >= 0; i--) {
      if (entries[i].key === key || supersedes(event, entries[i].event)) {
        removed.push(removeAt(i));
        superseded += 1;
      }
    }
    const { fits, droppedNow } = makeRoom(source, size, removed);
    if (!fits) {
      counts[source].dropped += 1;
    }
    const lost = droppedNow + (fits ? 0 : 1);
    if (lost > 0) {
      dropped += lost;
      log.warn(`eSafe: backlog full, dropped ${lost} event(s)`);
    }
    if (fits) {
      entries.push({ key, seq: record.seq, size, source, event });
      bytes += size;
      counts[source].count += 1;
      counts[source].bytes += size;
    }
    return { removed, record: fits ? record : null, superseded, droppedNow };
  }

  /**
   * @param {string} eventId
   * @param {'delivered'|'refused'|null} outcome  what it is counted as
   */
  function forget(eventId, outcome) {
    return inTurn(async () => {
      await load();
      const index = entries.findIndex((e) => e.event.eventId === eventId);
      if (index < 0) {
        return false;
      }
      const source = entries[index].source;
      const seq = removeAt(index);
      if (outcome) {
        counts[source][outcome] += 1;
      }
      await persist(() => store.write({ remove: [seq], stats: stats() }));
      await mirror();
      return true;
    });
  }

  return {
    /**
     * Adds an event, persisted before this resolves. Resolves to {superseded, dropped, kept}: how many
     * older events went, and whether this one was kept (false: no room its source may take).
     */
    /** @param {ProtocolTextEvent} event */
    add(event) {
      return inTurn(async () => {
        await load();
        const { removed, record, superseded, droppedNow } = insert(event);
        await persist(() => store.write({ put: record ? [record] : [], remove: removed, stats: stats() }));
        await mirror();
        return { superseded, dropped: droppedNow, kept: record !== null };
      });
    },

    /** Forgets an event the host or server acknowledged. False when it was not there. */
    ack(eventId) {
      return forget(eventId, 'delivered');
    },

    /** Forgets an event the host or server refused as bad input (it would be refused again). */
    refuse(eventId) {
      return forget(eventId, 'refused');
    },

    /** Forgets an event that should not have been kept (monitoring turned out to be paused). */
    discard(eventId) {
      return forget(eventId, null);
    },

    /** Every unacknowledged event, oldest first. */
    all() {
      return inTurn(async () => {
        await load();
        return entries.map((e) => e.event);
      });
    },

    /**
     * {count, bytes, dropped, sources: {typed|search|page: {count, bytes, dropped, delivered, refused}}}:
     * dropped, delivered and refused count since the backlog was first made on this profile.
     */
    stats() {
      return inTurn(async () => {
        await load();
        return stats();
      });
    },
  };
}
