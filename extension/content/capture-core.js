// The pure part of typed-text capture: which elements count, the debounce state machine and text
// capping. A classic script (content scripts cannot be modules) that only defines
// globalThis.eSafeCapture, so node tests can load it with node:vm and drive it with fakes.
'use strict';

(() => {
  // The host refuses longer text (PROTOCOL.md: at most 64 K characters).
  const MAX_TEXT = 64 * 1024;
  const PAUSE_MS = 1000;
  const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'url', 'tel']);
  // Secrets a pupil types that must never leave the page. current-password and new-password also
  // catch a password field that a "show password" button has turned into type=text.
  const SECRET_AUTOCOMPLETE = new Set(['one-time-code', 'current-password', 'new-password']);

  function isSecret(el) {
    const attr = typeof el.getAttribute === 'function' ? el.getAttribute('autocomplete') : null;
    if (!attr) {
      return false;
    }
    // autocomplete is a token list, e.g. "section-pay billing cc-number".
    for (const token of attr.toLowerCase().split(/\s+/)) {
      if (token.startsWith('cc-') || SECRET_AUTOCOMPLETE.has(token)) {
        return true;
      }
    }
    return false;
  }

  // 'value' for text inputs and textareas, 'editable' for contenteditable, null for everything else.
  // Only property reads: this runs on every keystroke.
  function fieldKind(el) {
    if (!el || typeof el !== 'object') {
      return null;
    }
    const name = el.localName;
    let kind = null;
    if (name === 'input') {
      // The type property is already lower-case and 'text' for a missing or unknown type.
      kind = TEXT_INPUT_TYPES.has(String(el.type || 'text').toLowerCase()) ? 'value' : null;
    } else if (name === 'textarea') {
      kind = 'value';
    } else if (el.isContentEditable === true) {
      kind = 'editable';
    }
    return kind && !isSecret(el) ? kind : null;
  }

  function readText(el, kind) {
    const text = kind === 'value' ? el.value : (el.innerText ?? el.textContent);
    return typeof text === 'string' ? text : '';
  }

  // Keeps the end (the newest words) and never starts on the second half of a surrogate pair.
  function capText(text, max = MAX_TEXT) {
    if (text.length <= max) {
      return text;
    }
    let start = text.length - max;
    const code = text.charCodeAt(start);
    if (code >= 0xdc00 && code <= 0xdfff) {
      start += 1;
    }
    return text.slice(start);
  }

  function randomPrefix(random) {
    const bytes = new Uint8Array(6);
    random(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // The debounce state machine. Dependencies come in so tests can use a fake clock:
  //   send({fieldId, text})  called with a field's current full text;
  //   setTimer(fn, ms) / clearTimer(handle)  like setTimeout / clearTimeout;
  //   random(uint8Array)  like crypto.getRandomValues (randomUUID needs a secure context).
  function createTracker({ send, setTimer, clearTimer, random, pauseMs = PAUSE_MS, maxChars = MAX_TEXT }) {
    const prefix = randomPrefix(random);
    let counter = 0;
    const ids = new WeakMap();
    const lastSent = new WeakMap();
    const pending = new Set();
    let timer = null;

    function fieldId(el) {
      let id = ids.get(el);
      if (id === undefined) {
        counter += 1;
        id = `${prefix}-${counter}`;
        ids.set(el, id);
      }
      return id;
    }

    function sendField(el) {
      // Checked again: a field can have become a password field since it was typed in.
      const kind = fieldKind(el);
      if (!kind) {
        return;
      }
      const text = capText(readText(el, kind), maxChars);
      if (text.trim() === '' || text === lastSent.get(el)) {
        return;
      }
      lastSent.set(el, text);
      send({ fieldId: fieldId(el), text });
    }

    function stopTimer() {
      if (timer !== null) {
        clearTimer(timer);
        timer = null;
      }
    }

    function flushAll() {
      stopTimer();
      const fields = [...pending];
      pending.clear();
      for (const el of fields) {
        sendField(el);
      }
    }

    return {
      fieldId,

      // On every input event: note the field and (re)arm the pause timer. Nothing else.
      input(el) {
        if (!fieldKind(el)) {
          return false;
        }
        pending.add(el);
        stopTimer();
        timer = setTimer(flushAll, pauseMs);
        return true;
      },

      // Enter, blur: send this field now if it was typed in since it was last sent.
      flush(el) {
        if (!pending.delete(el)) {
          return;
        }
        if (pending.size === 0) {
          stopTimer();
        }
        sendField(el);
      },

      // Form submit, page hide, the pause timer.
      flushAll,

      get pendingCount() {
        return pending.size;
      },
    };
  }

  globalThis.eSafeCapture = Object.freeze({ MAX_TEXT, PAUSE_MS, fieldKind, readText, capText, createTracker });
})();
