// IndexedDB for the node tests: fake-indexeddb (npm, a complete in-memory IndexedDB), one fresh
// database factory per simulated browser profile, and a raw look at what the backlog stored.

import { IDBFactory } from 'fake-indexeddb';
import { DB_NAME, EVENTS_STORE, META_STORE } from '../background/backlog-store.js';

/** A profile's IndexedDB: empty, and shared by every backlog made on it (a restarted worker). */
export function fakeIndexedDB() {
  return new IDBFactory();
}

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** What is on "disk": {events: [[seq, value]], meta: {[id]: value}} as stored, not unsealed. */
export async function rawBacklog(indexedDB, dbName = DB_NAME) {
  const db = await request(indexedDB.open(dbName));
  try {
    const transaction = db.transaction([EVENTS_STORE, META_STORE]);
    const events = transaction.objectStore(EVENTS_STORE);
    const meta = transaction.objectStore(META_STORE);
    const [seqs, values, ids, metaValues] = await Promise.all([
      request(events.getAllKeys()), request(events.getAll()), request(meta.getAllKeys()), request(meta.getAll()),
    ]);
    return { events: seqs.map((seq, i) => [seq, values[i]]), meta: Object.fromEntries(ids.map((id, i) => [id, metaValues[i]])) };
  } finally {
    db.close();
  }
}
