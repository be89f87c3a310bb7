// @ts-check
// Sends the text this page or frame shows: all of it once the page has loaded, then what appears later
// (new chat messages, comments, infinite scroll), never the same text twice. The work is done by
// page-text-core.js in slices of about 3 ms in idle time, only while the page is visible (a tab
// opened in the background is read when the pupil looks at it; a prerendered page when it is shown).
// Each frame has its own copy of this script (all_frames), so same- and cross-origin frames send
// their own text.
'use strict';

(() => {
  if (globalThis.eSafePageTextInstalled || !globalThis.eSafePageText || !globalThis.eSafeRelay) {
    return;
  }
  globalThis.eSafePageTextInstalled = true;

  // A frame this small is a tracking pixel or a hidden helper, not something a pupil reads.
  const MIN_FRAME_SIDE = 16;
  const IDLE_TIMEOUT_MS = 1000;
  const MAX_LOAD_WAIT_MS = 5000;

  let chunk = 0;
  let stopped = false;
  let observer = null;

  function stop() {
    stopped = true;
    observer?.disconnect();
  }

  // Sent again if the worker was stopping and dropped it (relay-core.js); stops when the extension
  // was reloaded or removed under this script.
  const relay = globalThis.eSafeRelay.createRelay({
    sendMessage: (message) => chrome.runtime.sendMessage(message),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    onGone: stop,
  });

  // Chunks go out from a task of their own, not from the walking slice: sendMessage usually takes
  // 0.1 ms but now and then a few, which would stretch a 3 ms slice. URL and title are read when the
  // chunk is made. On page hide they go at once (later tasks may never run).
  /** @type {PageMessage[]} */
  const outbox = [];
  let outboxTimer = null;

  function drain() {
    outboxTimer = null;
    while (outbox.length > 0) {
      relay.send(outbox.shift());
    }
  }

  function send(text) {
    outbox.push({ type: 'page', text, url: location.href, title: document.title, chunk: chunk++ });
    if (outboxTimer === null) {
      outboxTimer = setTimeout(drain, 0);
    }
  }

  function canRun() {
    return !stopped
      && document.visibilityState === 'visible'
      && document.prerendering !== true
      && document.designMode !== 'on';
  }

  // Display-wise: false for display:none (and content-visibility:hidden) here or above. An element
  // with display:contents has no box of its own but shows its children.
  function isRendered(el) {
    if (typeof el.checkVisibility !== 'function' || el.checkVisibility()) {
      return true;
    }
    return getComputedStyle(el).display === 'contents';
  }

  // For the element holding a text node: also visibility:hidden.
  function showsText(el) {
    return typeof el.checkVisibility !== 'function' || el.checkVisibility({ visibilityProperty: true }) || getComputedStyle(el).display === 'contents';
  }

  // Closed shadow roots are reachable only through chrome.dom, and only custom elements can have one
  // worth asking about (asking costs an extension API call).
  function shadowRootOf(el) {
    if (el.shadowRoot) {
      return el.shadowRoot;
    }
    if (el.localName.includes('-') && globalThis.chrome?.dom?.openOrClosedShadowRoot) {
      try {
        return chrome.dom.openOrClosedShadowRoot(el) ?? null;
      } catch {
        return null;
      }
    }
    return null;
  }

  const observeOptions = {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
    attributeFilter: globalThis.eSafePageText.REVEALING_ATTRIBUTES,
  };

  // Runs fn when the page is idle, with the idle time left (none when it ran because of the timeout),
  // within timeoutMs (the reader asks for less when changes are due).
  function idle(fn, timeoutMs = IDLE_TIMEOUT_MS) {
    if (typeof requestIdleCallback !== 'function') {
      return setTimeout(fn, 0);
    }
    return requestIdleCallback((deadline) => fn(deadline.didTimeout ? undefined : deadline.timeRemaining()), { timeout: timeoutMs });
  }

  const reader = globalThis.eSafePageText.createPageText({
    send,
    now: () => performance.now(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    idle,
    isRendered,
    showsText,
    shadowRootOf,
    onShadowRoot: (root) => observer?.observe(root, observeOptions),
    isEcho: (text) => globalThis.eSafeRecentTyped?.contains(text) === true,
    stripEcho: (line) => globalThis.eSafeRecentTyped?.strip(line) ?? line,
    canRun,
    body: () => document.body ?? document.documentElement,
  });

  // For diagnostics from the extension's own world (DevTools, tests); pages cannot see it.
  globalThis.eSafePageTextStats = () => reader.stats;

  // In the first idle moment after the page has loaded (custom elements are upgraded and have their
  // shadow roots by then, which no mutation record would tell), or 5 s after it was parsed if loading
  // drags on; never inside the page's own tasks. Changes made before the observer starts are in the
  // DOM the first walk reads.
  let starting = false;
  function start() {
    if (starting) {
      return;
    }
    starting = true;
    if (stopped || innerWidth < MIN_FRAME_SIDE || innerHeight < MIN_FRAME_SIDE) {
      // Checked once; a frame that grows later is rare enough to leave.
      return;
    }
    observer = new MutationObserver((records) => reader.mutations(records));
    observer.observe(document, observeOptions);
    reader.kick();
    listen();
    // document.open() (frames a page writes itself) erases every listener of the window and document,
    // these included, while the observer above stays: its text is still read, but it would no longer
    // be read again after the tab was hidden, nor flushed on page hide. The new root element is seen by
    // an observer of the document's own children (nothing per page change) and the listeners come back.
    new MutationObserver((records) => {
      if (records.some((record) => record.addedNodes.length > 0)) {
        listen();
        reader.kick();
      }
    }).observe(document, { childList: true });
  }

  const kick = () => reader.kick();
  const onPageHide = () => {
    reader.flush();
    drain();
  };

  // The same functions every time, so listening again where the listeners are still there adds nothing.
  function listen() {
    document.addEventListener('visibilitychange', kick);
    document.addEventListener('prerenderingchange', kick);
    addEventListener('pagehide', onPageHide, true);
    // Back from the back/forward cache: the same page, nothing new to send but what changes.
    addEventListener('pageshow', kick, true);
  }

  const startWhenIdle = () => idle(start);
  if (document.readyState === 'complete') {
    startWhenIdle();
  } else {
    addEventListener('load', startWhenIdle, { once: true });
    const parsed = () => setTimeout(startWhenIdle, MAX_LOAD_WAIT_MS);
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', parsed, { once: true });
    } else {
      parsed();
    }
  }
})();
