// Fakes shared by the tests (kept outside test/, where node --test would run it as a test file):
// a chrome.storage area, a manual clock with timers, and the content scripts' classic code loaded
// the way Chrome does (a fresh global per script world).

import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { fakeIndexedDB } from './indexeddb.js';

const EXTENSION = new URL('../', import.meta.url); // the extension folder

export function readExtensionFile(path) {
  return readFileSync(new URL(path, EXTENSION), 'utf8');
}

/** content/capture-core.js run in its own context; returns its globalThis.eSafeCapture. */
export function loadCaptureCore() {
  const context = vm.createContext({});
  vm.runInContext(readExtensionFile('content/capture-core.js'), context, { filename: 'capture-core.js' });
  return context.eSafeCapture;
}

/** content/relay-core.js run in its own context; returns its globalThis.eSafeRelay. */
export function loadRelayCore() {
  const context = vm.createContext({});
  vm.runInContext(readExtensionFile('content/relay-core.js'), context, { filename: 'relay-core.js' });
  return context.eSafeRelay;
}

/** content/page-text-core.js run in its own context; returns its globalThis.eSafePageText. */
export function loadPageTextCore() {
  const context = vm.createContext({});
  vm.runInContext(readExtensionFile('content/page-text-core.js'), context, { filename: 'page-text-core.js' });
  return context.eSafePageText;
}

/** chrome.storage.session's promise API over a Map; values go through JSON like the real one. */
export function fakeStorage(initial = {}) {
  const data = new Map(Object.entries(initial).map(([k, v]) => [k, JSON.stringify(v)]));
  const calls = { get: 0, set: 0, remove: 0 };
  return {
    data,
    calls,
    async get(keys) {
      calls.get += 1;
      const wanted = keys === null || keys === undefined ? [...data.keys()] : [].concat(keys);
      const result = {};
      for (const key of wanted) {
        if (data.has(key)) {
          result[key] = JSON.parse(data.get(key));
        }
      }
      return result;
    },
    async set(items) {
      calls.set += 1;
      for (const [key, value] of Object.entries(items)) {
        data.set(key, JSON.stringify(value));
      }
    },
    async remove(keys) {
      calls.remove += 1;
      for (const key of [].concat(keys)) {
        data.delete(key);
      }
    },
    snapshot() {
      return Object.fromEntries([...data].map(([k, v]) => [k, JSON.parse(v)]));
    },
  };
}

/** A clock that only moves when told, with setTimeout-like timers on it. */
export function fakeClock(start = 0) {
  let now = start;
  let nextId = 1;
  const timers = new Map();
  const clock = {
    now: () => now,
    setTimer(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimer(id) {
      timers.delete(id);
    },
    /** Pending timer delays, soonest first. */
    pending() {
      return [...timers.values()].map((t) => t.at - now).sort((a, b) => a - b);
    },
    /** Moves time forward, firing due timers in order. */
    advance(ms) {
      const end = now + ms;
      for (;;) {
        let due = null;
        for (const [id, t] of timers) {
          if (t.at <= end && (due === null || t.at < due[1].at)) {
            due = [id, t];
          }
        }
        if (due === null) {
          break;
        }
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
    /** A sleep(ms) for async code: resolves when advance() passes it. */
    sleep(ms) {
      return new Promise((resolve) => clock.setTimer(resolve, ms));
    },
  };
  return clock;
}

export const silentLog = { warn() {}, error() {}, log() {} };

/**
 * Lets pending promise callbacks run, and work that leaves the main thread: WebCrypto (the backlog
 * seals each event) answers from node's thread pool. Each round ends with a WebCrypto call of its
 * own, queued behind any the code under test started, so it comes back after them whatever the load.
 */
export async function settle(rounds = 20) {
  for (let round = 0; round < 8; round++) {
    for (let i = 0; i < rounds; i++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await crypto.subtle.digest('SHA-256', new Uint8Array(1));
  }
}

/** A chrome.events.Event-like object. */
export function fakeEvent() {
  const listeners = [];
  return {
    listeners,
    addListener: (fn) => listeners.push(fn),
    removeListener: (fn) => listeners.splice(listeners.indexOf(fn), 1),
    hasListeners: () => listeners.length > 0,
    fire: (...args) => listeners.map((fn) => fn(...args)),
  };
}

/**
 * chrome.runtime's native messaging, with a host that is there or not. Every port made is kept in
 * `ports`; a test plays the host with port.reply(message) and port.hostExits(reason).
 */
export function fakeNativeRuntime({ hostPresent = true } = {}) {
  const runtime = {
    lastError: undefined,
    hostPresent,
    ports: [],
    connectNative(name) {
      const port = {
        name,
        sent: [],
        connected: true,
        onMessage: fakeEvent(),
        onDisconnect: fakeEvent(),
        postMessage(message) {
          if (!port.connected) {
            throw new Error('Attempting to use a disconnected port object');
          }
          port.sent.push(JSON.parse(JSON.stringify(message)));
        },
        disconnect() {
          port.connected = false;
        },
        reply(message) {
          port.onMessage.fire(JSON.parse(JSON.stringify(message)), port);
        },
        // Chrome sets lastError only while onDisconnect's listeners run.
        hostExits(reason = 'Native host has exited.') {
          port.connected = false;
          runtime.lastError = { message: reason };
          try {
            port.onDisconnect.fire(port);
          } finally {
            runtime.lastError = undefined;
          }
        },
      };
      runtime.ports.push(port);
      if (!runtime.hostPresent) {
        queueMicrotask(() => port.hostExits('Specified native messaging host not found.'));
      }
      return port;
    },
  };
  return runtime;
}

export const EXTENSION_ID = 'hiipfkacdajbinoadfgohldjcebaoijj';

/** The parts of the chrome global that the service worker uses; `indexedDB` is the profile's (the worker's global). */
export function fakeChrome({ managed = {}, hostPresent = true, email = 'pupil@school.example', session = fakeStorage(), indexedDB = fakeIndexedDB(), os = 'linux' } = {}) {
  const runtime = fakeNativeRuntime({ hostPresent });
  Object.assign(runtime, {
    id: EXTENSION_ID,
    getManifest: () => ({ version: '0.1.0' }),
    getPlatformInfo: async () => ({ os, arch: 'x86-64', nacl_arch: 'x86-64' }),
    onMessage: fakeEvent(),
  });
  const alarms = new Map();
  const captured = [];
  return {
    indexedDB,
    runtime,
    identity: { getProfileUserInfo: async () => ({ email: email ?? '', id: email ? '1' : '' }) },
    storage: {
      session,
      managed: { get: async () => managed, set: (values) => { managed = values; } },
      onChanged: fakeEvent(),
    },
    alarms: {
      all: alarms,
      get: async (name) => alarms.get(name),
      create: async (name, info) => {
        alarms.set(name, { name, ...info });
      },
      onAlarm: fakeEvent(),
    },
    tabs: {
      captured,
      // Tab 5 is the one its window shows; 6 is behind it; no other tab exists.
      all: { 5: { id: 5, windowId: 1, active: true, url: 'https://site.example/chat', title: 'Chat' }, 6: { id: 6, windowId: 1, active: false } },
      async get(id) {
        const tab = this.all[id];
        if (!tab) {
          throw new Error(`No tab with id: ${id}.`);
        }
        return { ...tab };
      },
      captureVisibleTab: async (windowId, options) => {
        captured.push({ windowId, options });
        return 'data:image/jpeg;base64,/9j/SHOT';
      },
      onUpdated: fakeEvent(),
      onActivated: fakeEvent(),
      onRemoved: fakeEvent(),
    },
    windows: {
      get: async (id) => ({ id, state: 'normal' }),
      onFocusChanged: fakeEvent(),
      onBoundsChanged: fakeEvent(),
    },
  };
}
