// @ts-check
// The native messaging port to the eSafe host: connect, say hello, hand the port's messages on, and
// reconnect with back-off when it drops. It knows nothing of what the messages mean.

import { createBackoff } from './backoff.js';

export const HOST_NAME = 'com.esafe.host';
// A connection that lived this long was healthy: the next drop starts the back-off again at 1 s.
// Shorter ones (a missing or crashing host) keep growing it, so they cost the machine little.
export const HEALTHY_AFTER_MS = 60_000;

/**
 * @param {object} deps
 * @param {{connectNative: Function, lastError?: {message: string}}} deps.runtime  chrome.runtime or a fake
 * @param {() => Promise<HelloMessage>} deps.makeHello  the hello message (async: it asks for the account)
 * @param {() => Promise<void>} deps.onOpen  after hello: resend the backlog
 * @param {(message: HostMessage) => void} deps.onMessage  every message from the host
 * @param {(state: ConnectionState) => void} deps.onState
 *        'connecting' (port made), 'open' (hello sent), 'disconnected' (detail: Chrome's reason)
 * @param {ReturnType<typeof createBackoff>} [deps.backoff]  the reconnect delays
 * @param {(fn: () => void, ms: number) => ReturnType<typeof setTimeout>} [deps.setTimer]
 * @param {(handle: ReturnType<typeof setTimeout>) => void} [deps.clearTimer]
 * @param {() => number} [deps.now]  milliseconds clock
 * @param {string} [deps.hostName]  the native messaging host's name
 * @param {Log} [deps.log]
 * @returns {Transport}
 */
export function createNativeTransport({
  runtime,
  makeHello,
  onOpen,
  onMessage,
  onState,
  backoff = createBackoff(),
  setTimer = (fn, ms) => setTimeout(fn, ms),
  clearTimer = (handle) => clearTimeout(handle),
  now = () => Date.now(),
  hostName = HOST_NAME,
  log = console,
}) {
  let port = null;
  let helloSent = false;
  let openedAt = 0;
  let timer = null;
  let closed = false;

  function setState(state, detail = null) {
    try {
      onState({ state, detail });
    } catch (error) {
      log.warn('eSafe: could not record the connection state:', error?.message ?? error);
    }
  }

  function post(target, message) {
    try {
      target.postMessage(message);
      return true;
    } catch (error) {
      // The port went away under us; its onDisconnect does the rest.
      log.warn('eSafe: could not send to the host:', error?.message ?? error);
      return false;
    }
  }

  function stopTimer() {
    if (timer !== null) {
      clearTimer(timer);
      timer = null;
    }
  }

  function scheduleReconnect() {
    if (timer !== null || closed) {
      return;
    }
    timer = setTimer(() => {
      timer = null;
      connect();
    }, backoff.next());
  }

  async function greet(target) {
    let hello;
    try {
      hello = await makeHello();
    } catch (error) {
      log.warn('eSafe: could not make the hello message:', error?.message ?? error);
      return;
    }
    if (port !== target || !post(target, hello)) {
      return;
    }
    helloSent = true;
    setState('open');
    try {
      await onOpen();
    } catch (error) {
      log.warn('eSafe: could not resend the backlog:', error?.message ?? error);
    }
  }

  function connect() {
    if (port !== null || closed) {
      return;
    }
    stopTimer();
    let target;
    try {
      target = runtime.connectNative(hostName);
    } catch (error) {
      setState('disconnected', String(error?.message ?? error));
      scheduleReconnect();
      return;
    }
    port = target;
    helloSent = false;
    openedAt = now();
    target.onMessage.addListener((message) => {
      if (port === target) {
        onMessage(message);
      }
    });
    target.onDisconnect.addListener(() => {
      // Reading lastError here also keeps Chrome from logging it as unchecked.
      const detail = runtime.lastError?.message || 'the host closed the connection';
      if (port !== target) {
        return;
      }
      port = null;
      helloSent = false;
      if (now() - openedAt >= HEALTHY_AFTER_MS) {
        backoff.reset();
      }
      setState('disconnected', detail);
      scheduleReconnect();
    });
    setState('connecting');
    greet(target);
  }

  function dropPort() {
    const target = port;
    port = null;
    helloSent = false;
    if (target) {
      try {
        target.disconnect();
      } catch {
        // Already gone.
      }
    }
  }

  return {
    /** Connects now unless a port is already there (a pending back-off is cut short). */
    connect,

    /** Drops the port and connects again at once, for a fresh hello. */
    reconnect() {
      dropPort();
      connect();
    },

    /** Sends a message after hello; false when there is no open port (the caller keeps it). */
    send(message) {
      return port !== null && helloSent && post(port, message);
    },

    isOpen() {
      return port !== null && helloSent;
    },

    /** Stops for good (policy switched transport or monitoring off). */
    close() {
      closed = true;
      stopTimer();
      dropPort();
    },
  };
}
