// @ts-check
// Hands a content script's messages to the service worker so that each one arrives. Chrome starts a
// stopped worker for a message, but a worker stopping at that very moment drops it: sendMessage then
// rejects. The worker answers {ok: true} once it has kept the event (chrome.storage.session), or
// {ok: false} when it could not; a rejection or {ok: false} is sent again after 0.25, 1 and 4 s, then
// given up. At most 50 messages of a page wait for a retry at once. A classic script that only
// defines globalThis.eSafeRelay; node tests load it with node:vm and drive it with fakes.
'use strict';

(() => {
  const RETRY_DELAYS_MS = Object.freeze([250, 1000, 4000]);
  const MAX_WAITING = 50;

  /**
   * @param {object} deps
   * @param {(message: ContentMessage) => Promise<{ok?: boolean}|undefined>} deps.sendMessage  chrome.runtime.sendMessage:
   *        the worker answers {ok} (service-worker.js)
   * @param {(fn: Function, ms: number) => any} deps.setTimer
   * @param {() => void} [deps.onGone]  sendMessage threw: the extension was reloaded or removed
   * @param {readonly number[]} [deps.delays]  waits before each send again
   * @param {number} [deps.maxWaiting]  messages waiting to be sent again, at most
   */
  function createRelay({ sendMessage, setTimer, onGone = () => {}, delays = RETRY_DELAYS_MS, maxWaiting = MAX_WAITING }) {
    let gone = false;
    let waiting = 0;
    const stats = { sent: 0, retried: 0, lost: 0 };

    function retry(message, tries) {
      if (gone || tries >= delays.length || waiting >= maxWaiting) {
        stats.lost += 1;
        return;
      }
      waiting += 1;
      stats.retried += 1;
      setTimer(() => {
        waiting -= 1;
        attempt(message, tries + 1);
      }, delays[tries]);
    }

    function attempt(message, tries) {
      if (gone) {
        return;
      }
      let reply;
      try {
        reply = sendMessage(message);
      } catch {
        // This script's context is gone (extension reloaded, updated or removed): nothing can arrive.
        gone = true;
        onGone();
        return;
      }
      Promise.resolve(reply).then(
        (answer) => {
          if (answer?.ok === false) {
            retry(message, tries);
          }
        },
        () => retry(message, tries),
      );
    }

    return {
      /** @param {ContentMessage} message */
      send(message) {
        stats.sent += 1;
        attempt(message, 0);
      },

      get gone() {
        return gone;
      },

      get stats() {
        return { ...stats, waiting };
      },
    };
  }

  globalThis.eSafeRelay = Object.freeze({ createRelay, RETRY_DELAYS_MS, MAX_WAITING });
})();
