// @ts-check
// The connection's state for the status page, kept in chrome.storage.session so that it survives a
// stopped service worker: {state, detail, since, hello, lastHello}, where hello is the current
// connection's hello-reply summary and lastHello the last one ever received with when it came (so the
// page can still show the last library version while the host is missing), plus downSince and
// attempts: since when there has been no open connection, and how many connections failed since.

import { TRANSPORT_KEY } from './transport-mode.js';

export const CONNECTION_KEY = 'connection';

/**
 * @param {object} deps
 * @param {StorageArea} deps.storage  chrome.storage.session (or a fake)
 * @param {() => Date} [deps.now]
 * @param {Log} [deps.log]
 */
export function createStatusStore({ storage, now = () => new Date(), log = console }) {
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

  /** @returns {Promise<ConnectionRecord>} */
  async function read() {
    const stored = /** @type {ConnectionRecord|undefined} */ ((await storage.get(CONNECTION_KEY))?.[CONNECTION_KEY]);
    return stored ?? { state: 'starting', detail: null, since: null, hello: null, lastHello: null };
  }

  /** @param {ConnectionRecord} record */
  async function write(record) {
    try {
      await storage.set({ [CONNECTION_KEY]: record });
    } catch (error) {
      log.warn('eSafe: could not record the connection state:', error?.message ?? error);
    }
    return record;
  }

  return {
    get: () => inTurn(read),

    /**
     * A transport state change; a new connection forgets the previous host's hello.
     * @param {ConnectionState} state
     */
    setState({ state, detail = null }) {
      return inTurn(async () => {
        const current = await read();
        const hello = state === 'connecting' || state === 'unavailable' || state === 'disabled' ? null : current.hello;
        const at = now().toISOString();
        // While there is no working connection: since when, and how many connections failed or ended
        // (counted on 'disconnected': Chrome may refuse a connection before 'connecting' is seen).
        const open = state === 'open';
        const downSince = open ? null : (current.downSince ?? at);
        const attempts = open ? 0 : (current.attempts ?? 0) + (state === 'disconnected' ? 1 : 0);
        return write({ state, detail, since: at, hello, lastHello: current.lastHello ?? null, downSince, attempts });
      });
    },

    /**
     * The transport auto mode chose, with since when, for the status page and heartbeat.
     * @param {TransportChoice} choice
     */
    setTransport(choice) {
      return inTurn(async () => {
        try {
          await storage.set({ [TRANSPORT_KEY]: { ...choice, since: now().toISOString() } });
        } catch (error) {
          log.warn('eSafe: could not record the transport:', error?.message ?? error);
        }
      });
    },

    /** @param {HelloSummary} hello */
    setHello(hello) {
      return inTurn(async () => write({ ...(await read()), hello, lastHello: { ...hello, at: now().toISOString() } }));
    },
  };
}
