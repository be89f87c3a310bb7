// @ts-check
// Direct mode (Chromebooks, where no native host can run): the extension talks to the eSafe server
// itself. It enrols with the school's enrolment code from managed policy (the device token is kept in
// chrome.storage.local), sends text events in sealed batches, and plays the host's part towards the
// service worker: the server's answers come back as the host's messages ('ack', 'error', 'capture'), and
// the 'capture-reply' the worker sends goes to the server as a sealed screenshot. Same interface as
// native-transport.js, so the worker only picks one by mode. Server API: docs/PROTOCOL.md section 2b.

import { createBackoff } from './backoff.js';
import { createSealingSession, newEnvelopeId } from './envelope.js';
import { pseudonymousId } from './user-id.js';

export const DEVICE_KEY = 'direct:device';
// Events are gathered this long before a batch goes, unless a batch is full sooner.
export const BATCH_DELAY_MS = 1000;
export const MAX_BATCH_EVENTS = 100;
export const HEARTBEAT_MS = 5 * 60_000;
export const MAX_SCREENSHOT_TRIES = 5;
const MAX_SHOWN = 200;

/**
 * This device's enrolment, kept in chrome.storage.local.
 * @typedef {{serverUrl: string, deviceId: string, token: string, serverKey: {keyId: string, publicKey: string}}} DirectDevice
 */

function shortText(value) {
  return String(value ?? '').slice(0, MAX_SHOWN);
}

/**
 * @param {object} deps
 * @param {(url: string, init: RequestInit) => Promise<Response>} deps.fetch
 * @param {StorageArea} deps.storage  chrome.storage.local: the device token
 * @param {() => {serverUrl: string|null, userIdKey: string|null}} deps.policy  the current policy
 * @param {() => Promise<string|null>} deps.enrolmentCode  the school's enrolment code from managed policy
 * @param {() => Promise<{account: string|null, extensionVersion: string, machineName: string, deviceAddresses?: string[]}>} deps.describe
 * @param {() => Promise<void>} deps.onOpen  once enrolled: resend the backlog
 * @param {(message: HostMessage) => void} deps.onMessage  the host's messages, made from the server's answers
 * @param {(state: ConnectionState) => void} deps.onState
 * @param {() => Promise<{count: number}>} [deps.backlogStats]  for the heartbeat
 * @param {() => boolean} [deps.hostMissing]  for the heartbeat (auto mode falling back from native)
 * @param {ReturnType<typeof createBackoff>} [deps.backoff]  the retry delays
 * @param {(fn: () => void, ms: number) => ReturnType<typeof setTimeout>} [deps.setTimer]
 * @param {(handle: ReturnType<typeof setTimeout>) => void} [deps.clearTimer]
 * @param {() => number} [deps.now]  milliseconds clock
 * @param {SubtleCrypto} [deps.subtle]  for sealing
 * @param {Log} [deps.log]
 * @returns {Transport}
 */
export function createDirectTransport({
  fetch,
  storage,
  policy,
  enrolmentCode,
  describe,
  onOpen,
  onMessage,
  onState,
  backlogStats = async () => ({ count: 0 }),
  hostMissing = () => false,
  backoff = createBackoff(),
  setTimer = (fn, ms) => setTimeout(fn, ms),
  clearTimer = (handle) => clearTimeout(handle),
  now = () => Date.now(),
  subtle = crypto.subtle,
  log = console,
}) {
  /** @type {DirectDevice|null} */
  let device = null;
  let open = false;
  let closed = false;
  let connecting = null;
  let retryTimer = null;
  let batchTimer = null;
  let batchSoon = false;
  let inFlight = false;
  let lastHeartbeat = -Infinity;
  let libraries = { globalLibraryVersion: null, schoolLibraryVersion: null };
  const queue = []; // events waiting for a batch, oldest first
  const queued = new Set(); // their IDs and those in flight: an event resent meanwhile goes once
  // Batches and screenshots are sealed under one ephemeral key pair at a time (bounded in count and age; kept only in
  // the worker's memory), so the server does its ECDH once a session rather than once a batch.
  const sealer = createSealingSession({ subtle, now });

  function setState(state, detail = null) {
    try {
      onState({ state, detail });
    } catch (error) {
      log.warn('eSafe: could not record the connection state:', error?.message ?? error);
    }
  }

  function deliver(message) {
    try {
      onMessage(message);
    } catch (error) {
      log.warn('eSafe: could not handle the server\'s answer:', error?.message ?? error);
    }
  }

  function base() {
    return policy()?.serverUrl?.replace(/\/+$/, '') ?? null;
  }

  function retryLater(what) {
    if (retryTimer !== null || closed) {
      return;
    }
    retryTimer = setTimer(() => {
      retryTimer = null;
      what();
    }, backoff.next());
  }

  async function post(path, body, { auth = true } = {}) {
    return fetch(`${device?.serverUrl ?? base()}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(auth ? { Authorization: `Bearer ${device.token}` } : {}) },
      body: JSON.stringify(body),
    });
  }

  async function problemOf(response) {
    try {
      const problem = await response.json();
      return shortText(problem?.detail ?? problem?.title ?? response.status);
    } catch {
      return `HTTP ${response.status}`;
    }
  }

  async function enrol(serverUrl) {
    const code = await enrolmentCode();
    if (!code) {
      setState('unavailable', 'no enrolment code in the managed policy (enrolmentCode)');
      return null;
    }
    const about = await describe();
    const response = await fetch(`${serverUrl}/api/v1/devices/enrol`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ enrolmentCode: code, machineName: about.machineName, hostVersion: `direct/${about.extensionVersion}` }),
    });
    if (!response.ok) {
      setState('refused', `enrolment refused: ${await problemOf(response)}`);
      return null;
    }
    const enrolment = await response.json();
    const saved = { serverUrl, deviceId: enrolment.deviceId, token: enrolment.deviceToken, serverKey: enrolment.serverKey };
    await storage.set({ [DEVICE_KEY]: saved });
    return saved;
  }

  async function establish() {
    const serverUrl = base();
    if (!serverUrl) {
      setState('unavailable', 'no server URL in the managed policy (serverUrl)');
      return;
    }
    setState('connecting');
    // What enrol() stored (checked for this server below).
    const stored = /** @type {DirectDevice|undefined} */ ((await storage.get(DEVICE_KEY))?.[DEVICE_KEY]);
    // A device enrolled with another server enrols again with this one.
    device = stored?.serverUrl === serverUrl && stored.token ? stored : await enrol(serverUrl);
    if (!device) {
      retryLater(connect);
      return;
    }
    open = true;
    backoff.reset();
    setState('open');
    heartbeat().catch((error) => log.warn('eSafe: heartbeat failed:', error?.message ?? error));
    try {
      await onOpen();
    } catch (error) {
      log.warn('eSafe: could not resend the backlog:', error?.message ?? error);
    }
    // Events kept from before (a token the server forgot) go without waiting for new ones.
    scheduleBatch();
  }

  function connect() {
    if (closed || open || connecting) {
      return;
    }
    if (retryTimer !== null) {
      clearTimer(retryTimer);
      retryTimer = null;
    }
    connecting = establish()
      .catch((error) => {
        setState('disconnected', shortText(error?.message ?? error));
        retryLater(connect);
      })
      .finally(() => {
        connecting = null;
      });
  }

  // The token no longer works (device removed on the server): enrol again, events kept.
  async function forgetDevice(detail) {
    open = false;
    device = null;
    sealer.forget();
    await storage.remove(DEVICE_KEY);
    setState('disconnected', detail);
    retryLater(connect);
  }

  function scheduleBatch() {
    const full = queue.length >= MAX_BATCH_EVENTS;
    if (inFlight || queue.length === 0 || (batchTimer !== null && !(full && !batchSoon))) {
      return;
    }
    if (batchTimer !== null) {
      clearTimer(batchTimer);
    }
    // A full batch goes at once; otherwise more events are gathered for a moment.
    batchSoon = full;
    batchTimer = setTimer(() => {
      batchTimer = null;
      flush().catch((error) => log.warn('eSafe: could not send a batch:', error?.message ?? error));
    }, full ? 0 : BATCH_DELAY_MS);
  }

  function requeue(events) {
    queue.unshift(...events);
  }

  async function flush() {
    if (!open || inFlight || queue.length === 0) {
      return;
    }
    inFlight = true;
    const events = queue.splice(0, MAX_BATCH_EVENTS);
    let sent = false;
    try {
      const about = await describe();
      const batch = {
        userId: await pseudonymousId(policy()?.userIdKey ?? null, about.account, subtle),
        extensionVersion: about.extensionVersion,
        events,
        ...(about.deviceAddresses?.length ? { deviceAddresses: about.deviceAddresses } : {}),
      };
      const envelope = await sealer.sealJson(batch, newEnvelopeId(now()), device.serverKey);
      const response = await post('/api/v1/devices/direct/batches', envelope);
      if (response.status === 401) {
        requeue(events);
        await forgetDevice('the server no longer knows this device; enrolling again');
        return;
      }
      if (!response.ok) {
        throw new Error(`the server refused the batch: ${await problemOf(response)}`);
      }
      const reply = await response.json();
      sent = true;
      backoff.reset();
      libraries = { globalLibraryVersion: reply.globalLibraryVersion ?? null, schoolLibraryVersion: reply.schoolLibraryVersion ?? null };
      for (const eventId of reply.acked ?? []) {
        queued.delete(eventId);
        deliver({ type: 'ack', eventId });
      }
      for (const { eventId, problem } of reply.refused ?? []) {
        queued.delete(eventId);
        deliver({ type: 'error', eventId, message: problem });
      }
      for (const { incidentId, tabId } of reply.screenshots ?? []) {
        deliver({ type: 'capture', requestId: incidentId, tabId });
      }
      // Neither acked nor refused (the server stopped part-way): sent again with the next batch.
      const answered = new Set([...(reply.acked ?? []), ...(reply.refused ?? []).map((r) => r.eventId)]);
      requeue(events.filter((e) => !answered.has(e.eventId)));
    } catch (error) {
      if (!sent) {
        requeue(events);
        setState('disconnected', shortText(error?.message ?? error));
        retryLater(() => {
          setState('open');
          flush().catch(() => {});
        });
      }
      throw error;
    } finally {
      inFlight = false;
      if (sent) {
        scheduleBatch();
      }
    }
  }

  // The worker's answer to a 'capture': sealed to the server and posted; tried again on a network
  // failure. If it never arrives the server stores the incident without it after a minute.
  async function sendScreenshot(reply, tries = 0) {
    if (!device) {
      return;
    }
    const body = typeof reply.jpeg === 'string' ? { jpeg: reply.jpeg } : { error: shortText(reply.error ?? 'no image') };
    try {
      const envelope = await sealer.sealJson(body, reply.requestId, device.serverKey);
      const response = await post(`/api/v1/devices/direct/screenshots/${encodeURIComponent(reply.requestId)}`, envelope);
      if (response.ok || (response.status >= 400 && response.status < 500)) {
        if (!response.ok) {
          log.warn('eSafe: the server refused a screenshot:', await problemOf(response));
        }
        return;
      }
      throw new Error(`HTTP ${response.status}`);
    } catch (error) {
      if (tries + 1 < MAX_SCREENSHOT_TRIES && !closed) {
        setTimer(() => sendScreenshot(reply, tries + 1).catch(() => {}), 1000 * 2 ** tries);
      } else {
        log.warn('eSafe: could not send a screenshot:', error?.message ?? error);
      }
    }
  }

  async function heartbeat() {
    if (!open) {
      return;
    }
    lastHeartbeat = now();
    const about = await describe();
    const response = await post('/api/v1/devices/heartbeat', {
      mode: 'direct',
      extensionVersion: about.extensionVersion,
      hostVersion: null,
      ...libraries,
      backlog: (await backlogStats()).count,
      hostMissing: hostMissing(),
    });
    // 404: a server without fleet health yet; nothing to do.
    if (!response.ok && response.status !== 404) {
      log.warn('eSafe: the heartbeat was refused:', await problemOf(response));
    }
  }

  return {
    /** Enrols if needed and opens; a pending retry is cut short. */
    connect,

    /** Opens again (after a policy or network change). */
    reconnect() {
      open = false;
      connect();
    },

    /** Takes a 'text' event into the next batch or a 'capture-reply' to the server; false when not open (the caller keeps it). */
    send(message) {
      if (!open || closed) {
        return false;
      }
      if (message?.type === 'text' && message.event?.eventId) {
        if (!queued.has(message.event.eventId)) {
          queued.add(message.event.eventId);
          queue.push(message.event);
          scheduleBatch();
        }
        return true;
      }
      if (message?.type === 'capture-reply' && typeof message.requestId === 'string') {
        sendScreenshot(message).catch(() => {});
        return true;
      }
      // The worker's own complaints (a malformed message) have no one to go to here.
      log.warn('eSafe: nothing to send for', shortText(message?.type));
      return true;
    },

    isOpen() {
      return open;
    },

    /** Called by the worker's once-a-minute alarm: the heartbeat when due, and a stalled batch. */
    tick() {
      if (open && now() - lastHeartbeat >= HEARTBEAT_MS) {
        heartbeat().catch((error) => log.warn('eSafe: heartbeat failed:', error?.message ?? error));
      }
      scheduleBatch();
    },

    close() {
      closed = true;
      open = false;
      sealer.forget();
      for (const timer of [retryTimer, batchTimer]) {
        if (timer !== null) {
          clearTimer(timer);
        }
      }
      retryTimer = null;
      batchTimer = null;
    },
  };
}
