// The connection's state for the status page, kept in chrome.storage.session so that it survives a
// stopped service worker: {state, detail, since, hello}, where hello is the last hello-reply's summary.

export const CONNECTION_KEY = 'connection';

export function createStatusStore({ storage, now = () => new Date(), log = console }) {
  let queue = Promise.resolve();

  function inTurn(operation) {
    const result = queue.then(operation);
    queue = result.catch(() => {});
    return result;
  }

  async function read() {
    return (await storage.get(CONNECTION_KEY))?.[CONNECTION_KEY] ?? { state: 'starting', detail: null, since: null, hello: null };
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
        return write({ state, detail, since: now().toISOString(), hello });
      });
    },

    setHello(hello) {
      return inTurn(async () => write({ ...(await read()), hello }));
    },
  };
}
