// Watches what the pupil types on this page or frame and hands each field's text to the service
// worker after a pause, on Enter, on leaving the field, on form submit and when the page goes away.
// Listeners sit on the document in the capture phase, so fields added later are covered and a page
// that clears its box on Enter (chats) is read before its own handlers run.
'use strict';

(() => {
  if (globalThis.eSafeTypingInstalled || !globalThis.eSafeCapture) {
    return;
  }
  globalThis.eSafeTypingInstalled = true;

  const tracker = globalThis.eSafeCapture.createTracker({
    send: sendTyped,
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle),
    random: (bytes) => crypto.getRandomValues(bytes),
  });

  function sendTyped({ fieldId, text }) {
    const message = { type: 'typed', fieldId, text, url: location.href, title: document.title };
    try {
      // No answer is expected; a rejection (worker restarting, extension updated) is not the page's business.
      chrome.runtime.sendMessage(message).catch(() => {});
    } catch {
      // The extension was reloaded or removed: this script's context is gone.
    }
  }

  // The element itself, also inside open shadow roots (event.target is retargeted to the host).
  function origin(event) {
    const path = event.composedPath();
    return path.length > 0 ? path[0] : event.target;
  }

  document.addEventListener('input', (event) => tracker.input(origin(event)), true);

  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.isComposing) {
      tracker.flush(origin(event));
    }
  }, true);

  document.addEventListener('focusout', (event) => tracker.flush(origin(event)), true);

  document.addEventListener('submit', () => tracker.flushAll(), true);

  addEventListener('pagehide', () => tracker.flushAll(), true);
})();
