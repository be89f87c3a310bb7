// @ts-check
// The extension's one owner of the transport: relays typed and page text from the content scripts and
// the searches it reads from tabs' URLs to the host, acts on the host's messages and takes
// screenshots. Chrome may stop this worker whenever it is idle, so everything that must survive is in
// chrome.storage.session, all listeners are registered synchronously at the top level, and starting
// (again) connects and resends the backlog.

import { createBacklog } from './backlog.js';
import { createCaptureService } from './capture.js';
import { readDeviceIdentity } from './device-identity.js';
import { createDirectTransport } from './direct-transport.js';
import { createHostMessageHandler } from './host-messages.js';
import { canReencode, reencodeJpeg } from './jpeg.js';
import { createNativeTransport } from './native-transport.js';
import { loadPolicy, refreshPolicy } from './policy.js';
import { createSearchFilter, createSearchWatcher } from './search-query.js';
import { createStatusStore } from './status-store.js';
import { makeSearchEvent, makeTextEvent } from './text-event.js';
import { createModeTransport, platformOs } from './transport-mode.js';

const PROTOCOL_VERSION = 1;
const RECONNECT_ALARM = 'esafe-reconnect';

const session = chrome.storage.session;
const backlog = createBacklog({ storage: session });
const status = createStatusStore({ storage: session });
const capture = createCaptureService({
  tabs: chrome.tabs,
  windows: chrome.windows ?? null,
  reencode: canReencode() ? reencodeJpeg : null,
});
const searches = createSearchFilter();
const searchWatcher = createSearchWatcher({
  filter: searches,
  emit: (search, tab, url, at) => keep(makeSearchEvent(search, tab, url, { now: () => at })).catch(warn('could not keep a search')),
});

let policy = null;
let transport = null;
let os = null;

const handleHostMessage = createHostMessageHandler({
  backlog,
  capture,
  recordHello: (hello) => status.setHello(hello),
  reply: (message) => transport?.send(message) ?? false,
});

function warn(what) {
  return (error) => console.warn(`eSafe: ${what}:`, error?.message ?? error);
}

// The signed-in account's email; it goes to the host only, which keeps nothing but its HMAC.
async function signedInAccount() {
  try {
    const info = await chrome.identity.getProfileUserInfo({ accountStatus: 'ANY' });
    return info?.email ? info.email : null;
  } catch {
    return null;
  }
}

/** @returns {Promise<HelloMessage>} */
async function makeHello() {
  return {
    type: 'hello',
    protocol: PROTOCOL_VERSION,
    extensionVersion: chrome.runtime.getManifest().version,
    account: await signedInAccount(),
    // The school's user-ID key from policy, for a host installed without one; the server never gets it.
    ...(policy?.userIdKey ? { userIdKey: policy.userIdKey } : {}),
  };
}

async function resendBacklog(target) {
  for (const event of await backlog.all()) {
    if (!target.send({ type: 'text', event })) {
      return; // The port dropped; the next connection resends.
    }
  }
}

async function describeDevice() {
  const identity = await readDeviceIdentity();
  return { account: await signedInAccount(), extensionVersion: chrome.runtime.getManifest().version, machineName: identity.machineName };
}

// The policy's mode on this platform (transport-mode.js): native, direct, or auto's choice between them.
function makeTransport(mode) {
  return createModeTransport({
    mode,
    os,
    onState: (state) => status.setState(state).catch(warn('could not record the state')),
    onHostMessage: (message) => handleHostMessage(message).catch(warn('could not handle a host message')),
    onChoice: (choice) => status.setTransport(choice).catch(warn('could not record the transport')),
    makeDirect: ({ onState }) => {
      const direct = createDirectTransport({
        fetch: (url, init) => fetch(url, init),
        storage: chrome.storage.local,
        policy: () => policy,
        enrolmentCode: async () => policy?.enrolmentCode ?? null,
        describe: describeDevice,
        onOpen: () => resendBacklog(direct),
        onMessage: (message) => handleHostMessage(message).catch(warn('could not handle the server\'s answer')),
        onState,
        backlogStats: () => backlog.stats(),
        hostMissing: () => transport?.hostMissing?.() ?? false,
      });
      return direct;
    },
    makeNative: ({ onState, onHostMessage }) => {
      const native = createNativeTransport({ runtime: chrome.runtime, makeHello, onOpen: () => resendBacklog(native), onMessage: onHostMessage, onState });
      return native;
    },
  });
}

function applyPolicy(next) {
  transport?.close();
  transport = null;
  policy = next;
  if (!policy.enabled) {
    status.setState({ state: 'disabled', detail: 'monitoring is paused by policy' }).catch(warn('could not record the state'));
    return;
  }
  transport = makeTransport(policy.mode);
  transport.connect();
}

async function start() {
  os = await platformOs(chrome.runtime);
  applyPolicy(await loadPolicy({ managed: chrome.storage.managed, session }));
}

async function ensureAlarm() {
  if (!(await chrome.alarms.get(RECONNECT_ALARM))) {
    await chrome.alarms.create(RECONNECT_ALARM, { periodInMinutes: 1 });
  }
}

// Persisted first, even before the policy is known (its first read after the browser starts takes
// about 3 s): a worker stopped right now loses nothing. Then sent if the port is open; else the next
// connection resends it. Policy pausing monitoring takes it out again. `onKept(ok)` is told as soon
// as the event is in the backlog (or there was nothing to keep), before the policy is waited for.
/**
 * @param {ProtocolTextEvent|null} event
 * @param {(ok: boolean) => void} [onKept]
 */
async function keep(event, onKept = () => {}) {
  if (event === null || policy?.enabled === false) {
    onKept(true);
    return;
  }
  let kept;
  try {
    ({ kept } = await backlog.add(event));
  } catch (error) {
    onKept(false);
    throw error;
  }
  onKept(true);
  await started;
  if (!policy?.enabled) {
    await backlog.discard(event.eventId);
    return;
  }
  if (kept) {
    transport?.send({ type: 'text', event });
  }
}

function onContentText(message, sender, onKept) {
  // Made at once, so occurredAt is when it was typed or shown.
  const event = makeTextEvent(message, sender, { fieldOfSearch: (tabId, search) => searches.fieldOf(tabId, search) });
  if (event?.source === 'typed') {
    searches.noteTyped(event.tabId, event.text, event.fieldId);
  }
  return keep(event, onKept);
}

// Once a minute: a worker whose port is down (host missing, back-off lost with a stopped worker)
// tries again while something waits to be sent. A host that said it is not ready gets a fresh
// hello, since the protocol has no message for "ready now" and it acks nothing meanwhile.
async function onAlarm() {
  await started;
  transport?.tick?.();
  if (!transport || !policy?.enabled || (await backlog.stats()).count === 0) {
    return;
  }
  if (!transport.isOpen()) {
    transport.connect();
    return;
  }
  const { hello } = await status.get();
  if (hello && !hello.ready) {
    transport.reconnect();
  }
}

async function onManagedChange() {
  await started;
  const next = await refreshPolicy({ managed: chrome.storage.managed, session });
  if (next.mode !== policy?.mode || next.enabled !== policy?.enabled) {
    applyPolicy(next);
  } else {
    policy = next;
  }
}

// The content script sends again (relay-core.js) when the answer says the event was not kept or
// never comes (the worker stopped first): true keeps the channel open for the answer.
chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if ((message?.type === 'typed' || message?.type === 'page') && sender?.id === chrome.runtime.id) {
    onContentText(message, sender, (ok) => sendResponse({ ok })).catch(warn(`could not keep ${message.type} text`));
    return true;
  }
  return false;
});

// Every navigation of every tab, single-page apps' history.pushState included: a search engine's or
// video site's results URL becomes one 'search' event per search. Done here rather than in the pages:
// it costs the pages nothing and sees navigations no content script runs in.
chrome.tabs.onUpdated.addListener((tabId, changeInfo, tab) => {
  capture.poke();
  searchWatcher.onUpdated(tabId, changeInfo, tab);
});

// A capture waiting for its tab to show looks again when the pupil switches tab or window.
chrome.tabs.onActivated.addListener(() => capture.poke());
chrome.tabs.onRemoved.addListener((tabId) => {
  searchWatcher.onRemoved(tabId);
  capture.poke();
});
chrome.windows?.onFocusChanged?.addListener(() => capture.poke());
chrome.windows?.onBoundsChanged?.addListener(() => capture.poke());

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === RECONNECT_ALARM) {
    onAlarm().catch(warn('reconnect check failed'));
  }
});

chrome.storage.onChanged.addListener((_changes, area) => {
  if (area === 'managed') {
    onManagedChange().catch(warn('could not apply the new policy'));
  }
});

const started = start().catch(warn('could not start'));
// Read at once, so the status page counts what waits from the start (the counters are not kept
// across a browser restart otherwise, and nothing else may touch the backlog for a minute).
backlog.stats().catch(warn('could not read the backlog'));
ensureAlarm().catch(warn('could not set the reconnect alarm'));
