// @ts-check
// Which transport carries the events: the policy's `mode` on this platform. `native` and `direct` are
// what they say; `auto` (the default) is direct on ChromeOS, which runs no native host, and elsewhere
// the native host, falling back to direct while no host answers (not installed for this browser, or
// not allowing this extension), so a PC whose host is missing is still monitored and says so. The
// native port keeps trying with its back-off meanwhile; the first message from a host switches back.

export const MODES = Object.freeze(['auto', 'native', 'direct']);
export const DEFAULT_MODE = 'auto';
// Where the worker records the choice for the status page and the heartbeat (chrome.storage.session).
export const TRANSPORT_KEY = 'transport';

/** 'native' or 'direct': the transport a policy mode starts with on an OS ('cros', 'win', 'mac', 'linux', …). */
export function chooseTransport(mode, os) {
  if (mode === 'native' || mode === 'direct') {
    return mode;
  }
  return os === 'cros' ? 'direct' : 'native';
}

/** Whether a native port's disconnect reason means that no host will answer this extension. */
export function isHostMissing(detail) {
  return /native messaging host not found|forbidden/i.test(detail ?? '');
}

/** The OS as chrome.runtime.getPlatformInfo says ('cros' on ChromeOS); null when it cannot say. */
export async function platformOs(runtime) {
  try {
    return (await runtime.getPlatformInfo())?.os ?? null;
  } catch {
    return null;
  }
}

/** What the worker last recorded: {mode, transport, hostMissing, since}, or null before it chose. */
export async function readTransportState(storage) {
  return (await storage.get(TRANSPORT_KEY))?.[TRANSPORT_KEY] ?? null;
}

/**
 * A transport with native-transport.js's interface (connect, reconnect, send, isOpen, close) for a
 * policy mode, made of the native and direct transports the factories make.
 *
 * @param {object} deps
 * @param {'auto'|'native'|'direct'} deps.mode  the policy's
 * @param {string|null} deps.os  from platformOs
 * @param {(hooks: {onState: (state: ConnectionState) => void, onHostMessage: (message: HostMessage) => void}) => Transport} deps.makeNative
 * @param {(hooks: {onState: (state: ConnectionState) => void}) => Transport} deps.makeDirect
 * @param {(state: ConnectionState) => void} deps.onState  the carrying transport's states
 * @param {(message: HostMessage) => void} deps.onHostMessage  every message from the native host
 * @param {(choice: TransportChoice) => void} [deps.onChoice]  told at once and at every switch
 * @param {Log} [deps.log]
 */
export function createModeTransport({ mode, os, makeNative, makeDirect, onState, onHostMessage, onChoice = () => {}, log = console }) {
  const first = chooseTransport(mode, os);
  const fallsBack = mode !== 'native' && mode !== 'direct' && first === 'native';
  let native = null;
  let direct = null;
  let hostMissing = false;
  let closed = false;

  function tell(callback, value) {
    try {
      callback(value);
    } catch (error) {
      log.warn('eSafe: could not record the transport:', error?.message ?? error);
    }
  }

  /** @returns {TransportChoice} */
  function choice() {
    return { mode: MODES.includes(mode) ? mode : DEFAULT_MODE, transport: hostMissing || first === 'direct' ? 'direct' : 'native', hostMissing };
  }

  function newDirect() {
    return makeDirect({ onState: (state) => tell(onState, state) });
  }

  function onNativeState(state) {
    if (closed) {
      return;
    }
    if (!hostMissing) {
      tell(onState, state);
    }
    if (fallsBack && !hostMissing && state.state === 'disconnected' && isHostMissing(state.detail)) {
      log.warn(`eSafe: no native host (${state.detail}); sending directly to the server meanwhile`);
      hostMissing = true;
      tell(onChoice, choice());
      direct = newDirect();
      direct.connect();
    }
  }

  function onNativeMessage(message) {
    if (hostMissing && !closed) {
      // A host answered: it carries the events again (its port resent the backlog on opening).
      hostMissing = false;
      direct?.close();
      direct = null;
      tell(onChoice, choice());
      tell(onState, { state: 'open', detail: null });
    }
    onHostMessage(message);
  }

  function carrier() {
    return hostMissing || first === 'direct' ? direct : native;
  }

  if (first === 'native') {
    native = makeNative({ onState: onNativeState, onHostMessage: onNativeMessage });
  } else {
    direct = newDirect();
  }
  tell(onChoice, choice());

  return {
    /** Connects the carrying transport; while the host is missing, also lets the native port try again. */
    connect() {
      if (first === 'direct') {
        direct.connect();
        return;
      }
      native.connect();
      if (hostMissing) {
        direct?.connect();
      }
    },

    reconnect() {
      carrier()?.reconnect();
    },

    send(message) {
      return carrier()?.send(message) ?? false;
    },

    isOpen() {
      return carrier()?.isOpen() ?? false;
    },

    /** The alarm's periodic call, passed to the carrying transport when it has one (direct mode's heartbeat). */
    tick() {
      carrier()?.tick?.();
    },

    close() {
      closed = true;
      native?.close();
      direct?.close();
    },

    /** {mode, transport: 'native'|'direct', hostMissing}: what carries the events now. */
    state: choice,

    /** True while auto mode sends directly because no native host answers. */
    hostMissing: () => hostMissing,
  };
}
