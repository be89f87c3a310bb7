// The connection's state for the status page, kept in chrome.storage.session so that it survives a
// stopped service worker: {state, detail, since, hello, lastHello}, where hello is the current
// connection's hello-reply summary and lastHello the last one ever received with when it came (so the
// page can still show the last library version while the host is missing), plus downSince and
// attempts: since when there has been no open connection, and how many connections failed since.

import { TRANSPORT_KEY } from './transport-mode.js';

export const CONNECTION_KEY = 'connection';

export function createStatusStore({ storage, now = () => new Date(), log = console }) {
  let queue = Promise.resolve();

  function inTurn(operation) {
    const result = queue.then(operation);
    queue = result.catch(() => {});
    return result;
  }

  async function read() {
    return (await storage.get(CONNECTION_KEY))?.[CONNECTION_KEY] ?? { state: 'starting', detail: null, since: null, hello: null, lastHello: null };
  }

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

    /** A transport state change; a new connection forgets the previous host's hello. */
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

    /** The transport auto mode chose ({mode, transport, hostMissing}), with since when, for the status page and heartbeat. */
    setTransport(choice) {
      return inTurn(async () => {
        try {
          await storage.set({ [TRANSPORT_KEY]: { ...choice, since: now().toISOString() } });
        } catch (error) {
          log.warn('eSafe: could not record the transport:', error?.message ?? error);
        }
      });
    },

    setHello(hello) {
      return inTurn(async () => write({ ...(await read()), hello, lastHello: { ...hello, at: now().toISOString() } }));
    },
  };
}
