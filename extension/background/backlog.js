// Text events the host has not acknowledged yet. Kept in chrome.storage.session (one key per event,
// so adding or acking one never rewrites the others) and mirrored in memory; every operation runs in
// turn, so a stopped and restarted service worker sees exactly what was persisted.

export const EVENT_KEY_PREFIX = 'backlog:event:';
export const STATS_KEY = 'backlog:stats';
export const MAX_EVENTS = 1000;
// Half of chrome.storage.session's 10 MB, leaving room for everything else kept there.
export const MAX_BYTES = 5 * 1024 * 1024;

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

// What storage charges for a key: its name plus its value's JSON.
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
 * @param {{get: Function, set: Function, remove: Function}} deps.storage  chrome.storage.session or a fake
 */
export function createBacklog({ storage, maxEvents = MAX_EVENTS, maxBytes = MAX_BYTES, log = console }) {
  let entries = null; // [{key, seq, size, event}], oldest first
  let nextSeq = 1;
  let bytes = 0;
  let dropped = 0;
  let queue = Promise.resolve();

  function inTurn(operation) {
    const result = queue.then(operation);
    queue = result.catch(() => {});
    return result;
  }

  async function load() {
    if (entries !== null) {
      return;
    }
    const stored = await storage.get(null);
    const loaded = [];
    for (const [key, record] of Object.entries(stored ?? {})) {
      if (key.startsWith(EVENT_KEY_PREFIX) && record && typeof record.event?.eventId === 'string') {
        loaded.push({ key, seq: Number(record.seq) || 0, size: sizeOf(key, record), event: record.event });
      }
    }
    loaded.sort((a, b) => a.seq - b.seq);
    entries = loaded;
    bytes = loaded.reduce((sum, e) => sum + e.size, 0);
    nextSeq = loaded.reduce((max, e) => Math.max(max, e.seq), 0) + 1;
    dropped = Number(stored?.[STATS_KEY]?.dropped) || 0;
  }

  function stats() {
    return { count: entries.length, bytes, dropped };
  }

  function removeAt(index) {
    const [entry] = entries.splice(index, 1);
    bytes -= entry.size;
    return entry.key;
  }

  // Storage failing (quota, shutdown) must not lose the event from memory: it is still sent.
  async function persist(operation) {
    try {
      await operation();
    } catch (error) {
      log.warn('eSafe: could not persist the backlog:', error?.message ?? error);
    }
  }

  return {
    /** Adds an event, persisted before this resolves. Resolves to how many older events went. */
    add(event) {
      return inTurn(async () => {
        await load();
        const key = EVENT_KEY_PREFIX + event.eventId;
        const record = { seq: nextSeq++, event };
        const size = sizeOf(key, record);
        const removedKeys = [];
        let superseded = 0;
        for (let i = entries.length - 1; i >= 0; i--) {
          if (entries[i].key === key || supersedes(event, entries[i].event)) {
            removedKeys.push(removeAt(i));
            superseded += 1;
          }
        }
        let droppedNow = 0;
        while (entries.length > 0 && (entries.length + 1 > maxEvents || bytes + size > maxBytes)) {
          removedKeys.push(removeAt(0));
          droppedNow += 1;
        }
        if (droppedNow > 0) {
          dropped += droppedNow;
          log.warn(`eSafe: backlog full, dropped the ${droppedNow} oldest event(s)`);
        }
        entries.push({ key, seq: record.seq, size, event });
        bytes += size;
        const staleKeys = removedKeys.filter((k) => k !== key);
        if (staleKeys.length > 0) {
          await persist(() => storage.remove(staleKeys));
        }
        await persist(() => storage.set({ [key]: record, [STATS_KEY]: stats() }));
        return { superseded, dropped: droppedNow };
      });
    },

    /** Forgets an event (acknowledged, or refused by the host). False when it was not there. */
    ack(eventId) {
      return inTurn(async () => {
        await load();
        const index = entries.findIndex((e) => e.event.eventId === eventId);
        if (index < 0) {
          return false;
        }
        const key = removeAt(index);
        await persist(() => storage.remove(key));
        await persist(() => storage.set({ [STATS_KEY]: stats() }));
        return true;
      });
    },

    /** Every unacknowledged event, oldest first. */
    all() {
      return inTurn(async () => {
        await load();
        return entries.map((e) => e.event);
      });
    },

    /** {count, bytes, dropped}: dropped counts events lost to the bounds since the browser started. */
    stats() {
      return inTurn(async () => {
        await load();
        return stats();
      });
    },
  };
}
