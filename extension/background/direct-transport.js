// Chromebook ("direct") mode: the extension will talk to the eSafe server over HTTPS, because
// ChromeOS runs no native host. Not built yet; this stand-in has the transport's interface, keeps
// every event in the backlog and says why nothing is sent.

export const NOT_AVAILABLE = 'direct mode (Chromebook) is not available in this version';

export function createDirectTransport({ onState }) {
  return {
    connect() {
      onState({ state: 'unavailable', detail: NOT_AVAILABLE });
    },
    reconnect() {
      onState({ state: 'unavailable', detail: NOT_AVAILABLE });
    },
    send() {
      return false;
    },
    isOpen() {
      return false;
    },
    close() {},
  };
}
