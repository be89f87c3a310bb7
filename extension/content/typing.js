// @ts-check
// Watches what the pupil types on this page or frame and hands each field's whole current text to
// the service worker after a pause, on Enter, on leaving the field, on a click or tap (a send button
// may clear the box), on form submit and when the page goes away. What is sent is the field's value (or
// a contenteditable's innerText), so backspaces, replaced selections, paste, autocomplete, undo and
// moved text are all already applied; only a field that keeps no text in the DOM (a terminal, Docs'
// input frame) is sent as what its key and input events typed (capture-core.js: the key journal).
// Listeners sit on the window in the capture phase, the first place an event reaches, so fields added
// later are covered and a page that clears its box on Enter (chats) is read before its own handlers run.
'use strict';

(() => {
  if (globalThis.eSafeTypingInstalled || !globalThis.eSafeCapture || !globalThis.eSafeRelay) {
    return;
  }
  globalThis.eSafeTypingInstalled = true;

  const core = globalThis.eSafeCapture;
  // Shared with page-text.js (same isolated world): the page's echo of a sent message is not read again.
  const recent = core.createRecentTexts({ now: () => Date.now() });
  globalThis.eSafeRecentTyped = recent;

  const tracker = core.createTracker({
    send: sendTyped,
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle),
    now: () => performance.now(),
    random: (bytes) => crypto.getRandomValues(bytes),
  });

  // Sent again if the worker was stopping and dropped it (relay-core.js).
  const relay = globalThis.eSafeRelay.createRelay({
    sendMessage: (message) => chrome.runtime.sendMessage(message),
    setTimer: (fn, ms) => setTimeout(fn, ms),
  });

  function sendTyped({ fieldId, text }) {
    recent.add(text);
    relay.send({ type: 'typed', fieldId, text, url: location.href, title: document.title });
  }

  // The element itself, also inside open shadow roots (event.target is retargeted to the host) and,
  // through chrome.dom, inside closed ones (only tried for custom elements, where they can be).
  // A target that hosts no open shadow root and is no custom element is the origin itself: the usual
  // case, answered without building the event's path (and for the last such target, without a look).
  let plainTarget = null;
  function origin(event) {
    const target = event.target;
    if (target === plainTarget) {
      return target;
    }
    if (target && target.shadowRoot == null && typeof target.localName === 'string' && !target.localName.includes('-')) {
      plainTarget = target;
      return target;
    }
    const path = event.composedPath();
    let el = path.length > 0 ? path[0] : target;
    for (let depth = 0; depth < 8 && el && typeof el.localName === 'string' && el.localName.includes('-')
      && !el.isContentEditable && !el.shadowRoot && globalThis.chrome?.dom?.openOrClosedShadowRoot; depth++) {
      const inner = chrome.dom.openOrClosedShadowRoot(el)?.activeElement;
      if (!inner) {
        break;
      }
      el = inner;
    }
    return el;
  }

  // Mid-composition (IME: Japanese, Chinese, Korean, some phone keyboards) the text is not final yet:
  // act on compositionend instead.
  // The inserted text goes in the field's journal too (used only when the field reads blank: editors
  // that keep no text in the DOM). A paste into a contenteditable has its text in dataTransfer.
  const onInput = (event) => {
    if (!event.isComposing) {
      const inputType = event.inputType ?? '';
      const data = event.data ?? (inputType.startsWith('insert') ? event.dataTransfer?.getData('text/plain') : null) ?? null;
      tracker.input(origin(event), inputType, event.timeStamp, data);
    }
  };

  // Paste, drop and cut that an editor handles itself (it cancels the browser's and changes the text
  // through its own code) fire no input event: the field is noted here, before the change.
  const beforeEdit = (event) => tracker.beforeEdit(origin(event), event.timeStamp);

  const onCompositionEnd = (event) => tracker.input(origin(event), '', event.timeStamp);

  // Every key: the tracker notes keys that a page may cancel and act on itself (terminals, Docs), for
  // the field's journal; Enter reads the box before a chat's own handler sends and clears it. Undo and
  // redo: editors (Quill) cancel the key and change the text themselves, with no input event.
  const onKeyDown = (event) => {
    const key = event.key;
    if (tracker.keyDown(origin(event), event)) {
      return;
    }
    if ((event.ctrlKey || event.metaKey) && (key === 'z' || key === 'Z' || key === 'y' || key === 'Y')) {
      tracker.beforeEdit(origin(event), event.timeStamp);
    }
  };

  const onFocusOut = (event) => tracker.flush(origin(event));

  const onPointerDown = () => {
    if (tracker.pendingCount > 0) {
      tracker.flushAll();
    }
  };

  const onLeave = () => tracker.flushAll();

  // The same functions every time, so listening again where the listeners are still there adds nothing.
  function listen() {
    addEventListener('input', onInput, true);
    addEventListener('paste', beforeEdit, true);
    addEventListener('drop', beforeEdit, true);
    addEventListener('cut', beforeEdit, true);
    addEventListener('compositionend', onCompositionEnd, true);
    addEventListener('keydown', onKeyDown, true);
    addEventListener('focusout', onFocusOut, true);
    addEventListener('pointerdown', onPointerDown, true);
    addEventListener('submit', onLeave, true);
    addEventListener('pagehide', onLeave, true);
  }
  listen();

  // document.open() (frames that older rich editors write themselves) erases every listener on the
  // window, these included, and keeps this world's globals, so the guard above would never let them
  // back. It also replaces the document's children: an observer of the document's own children (not
  // its subtree, so nothing per keystroke or per page change) sees the new root element and listens again.
  if (typeof MutationObserver === 'function' && globalThis.document) {
    new MutationObserver((records) => {
      if (records.some((record) => record.addedNodes.length > 0)) {
        plainTarget = null;
        listen();
      }
    }).observe(document, { childList: true });
  }
})();
