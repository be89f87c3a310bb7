// @ts-check
// Where the backlog lives between browser runs: IndexedDB, which (unlike chrome.storage.session)
// survives the browser closing. Every event is sealed with AES-256-GCM under a key WebCrypto made
// non-extractable: the key object itself is stored (CryptoKey is structured-clonable), its bytes can
// never be read by script, and the database on disk holds no readable text. The record's sequence
// number is the additional data, so a sealed event cannot be moved to another slot unnoticed.

export const DB_NAME = 'esafe-backlog';
export const DB_VERSION = 1;
export const EVENTS_STORE = 'events'; // seq → {iv, sealed}
export const META_STORE = 'meta'; // 'key' → CryptoKey, 'stats' → counters (no text), 'migrated' → true
const KEY_ID = 'key';
const STATS_ID = 'stats';
const MIGRATED_ID = 'migrated';
const IV_BYTES = 12;

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

/** @param {IDBTransaction} transaction */
function finished(transaction) {
  return /** @type {Promise<void>} */ (new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
  }));
}

/**
 * @param {object} deps
 * @param {IDBFactory} deps.indexedDB  the worker's indexedDB (or fake-indexeddb in tests)
 * @param {SubtleCrypto} deps.subtle
 * @param {string} [deps.dbName]  the database (tests give each their own)
 * @param {(bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>} [deps.random]  fills bytes with random ones (the IVs)
 */
export function createBacklogStore({ indexedDB, subtle, dbName = DB_NAME, random = (bytes) => crypto.getRandomValues(bytes) }) {
  let opening = null; // Promise<IDBDatabase>
  let key = null;

  function open() {
    if (!indexedDB) {
      return Promise.reject(new Error('IndexedDB is not available'));
    }
    if (opening === null) {
      const request = indexedDB.open(dbName, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(EVENTS_STORE)) {
          db.createObjectStore(EVENTS_STORE);
        }
        if (!db.objectStoreNames.contains(META_STORE)) {
          db.createObjectStore(META_STORE);
        }
      };
      opening = done(request).then((db) => {
        // Closed under us (browser shutting down, storage cleared): the next operation opens again.
        const forget = () => {
          opening = null;
          key = null;
        };
        db.onclose = forget;
        db.onversionchange = () => {
          db.close();
          forget();
        };
        return db;
      });
      opening.catch(() => {
        opening = null;
      });
    }
    return opening;
  }

  // The key is made once and stored; a second worker racing to make one keeps whichever was stored first.
  async function cryptoKey(db) {
    if (key) {
      return key;
    }
    const stored = await done(db.transaction(META_STORE).objectStore(META_STORE).get(KEY_ID));
    if (stored) {
      key = stored;
      return key;
    }
    const made = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const transaction = db.transaction(META_STORE, 'readwrite');
    const meta = transaction.objectStore(META_STORE);
    const winner = await done(meta.get(KEY_ID));
    if (!winner) {
      meta.put(made, KEY_ID);
    }
    await finished(transaction);
    key = winner ?? made;
    return key;
  }

  async function seal(record) {
    const iv = random(new Uint8Array(IV_BYTES));
    const plain = new TextEncoder().encode(JSON.stringify(record));
    const sealed = await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(String(record.seq)) }, key, plain);
    return { iv, sealed };
  }

  async function unseal(seq, stored) {
    const plain = await subtle.decrypt({ name: 'AES-GCM', iv: stored.iv, additionalData: new TextEncoder().encode(String(seq)) }, key, stored.sealed);
    const record = JSON.parse(new TextDecoder().decode(plain));
    if (record?.seq !== seq || typeof record?.event?.eventId !== 'string') {
      throw new Error('not a backlog record');
    }
    return record;
  }

  return {
    /**
     * Everything stored: {records: [{seq, event}] in seq order, stats (or null), migrated, unreadable}.
     * Records that cannot be opened (the key was lost, the bytes damaged) are deleted and counted.
     */
    async load() {
      const db = await open();
      await cryptoKey(db);
      const transaction = db.transaction([EVENTS_STORE, META_STORE]);
      const events = transaction.objectStore(EVENTS_STORE);
      const meta = transaction.objectStore(META_STORE);
      const [seqs, values, stats, migrated] = await Promise.all([
        done(events.getAllKeys()), done(events.getAll()), done(meta.get(STATS_ID)), done(meta.get(MIGRATED_ID)),
      ]);
      const records = [];
      const broken = [];
      for (let i = 0; i < seqs.length; i++) {
        try {
          records.push(await unseal(seqs[i], values[i]));
        } catch {
          broken.push(seqs[i]);
        }
      }
      if (broken.length > 0) {
        const cleanup = db.transaction(EVENTS_STORE, 'readwrite');
        for (const seq of broken) {
          cleanup.objectStore(EVENTS_STORE).delete(seq);
        }
        await finished(cleanup);
      }
      return { records, stats: stats ?? null, migrated: migrated === true, unreadable: broken.length };
    },

    /**
     * One atomic change: records to seal and put ({seq, event}), seqs to delete, the new counters and
     * whether the old session backlog has been taken over. Sealing happens before the transaction
     * opens (an IndexedDB transaction ends when it is left idle across an await).
     */
    async write({ put = [], remove = [], stats, migrated = false }) {
      const db = await open();
      await cryptoKey(db);
      const sealed = await Promise.all(put.map(async (record) => [record.seq, await seal(record)]));
      const transaction = db.transaction([EVENTS_STORE, META_STORE], 'readwrite');
      const events = transaction.objectStore(EVENTS_STORE);
      const meta = transaction.objectStore(META_STORE);
      for (const seq of remove) {
        events.delete(seq);
      }
      for (const [seq, value] of sealed) {
        events.put(value, seq);
      }
      if (stats !== undefined) {
        meta.put(stats, STATS_ID);
      }
      if (migrated) {
        meta.put(true, MIGRATED_ID);
      }
      await finished(transaction);
    },
  };
}
