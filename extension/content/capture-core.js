// @ts-check
// The pure part of typed-text capture: which elements count, the debounce state machine, message
// generations of a field, and text capping. A classic script (content scripts cannot be modules) that
// only defines globalThis.eSafeCapture, so node tests can load it with node:vm and drive it with fakes.
'use strict';

(() => {
  // The host refuses longer text (PROTOCOL.md: at most 64 K characters).
  const MAX_TEXT = 64 * 1024;
  const PAUSE_MS = 1000;
  const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'url', 'tel']);
  // Secrets a pupil types that must never leave the page. current-password and new-password also
  // catch a password field that a "show password" button has turned into type=text.
  const SECRET_AUTOCOMPLETE = new Set(['one-time-code', 'current-password', 'new-password']);
  // A text node's nodeType.
  const TEXT_NODE = 3;

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

  // A contenteditable attribute that makes its element editable ('', 'true', 'plaintext-only').
  function editableAttr(el) {
    const value = typeof el.getAttribute === 'function' ? el.getAttribute('contenteditable') : null;
    return value !== null && value.toLowerCase() !== 'false';
  }

  // 'value' for text inputs and textareas, 'editable' for contenteditable, null for everything else.
  // Only property and attribute reads that need no style: this runs on every keystroke, right after
  // an edit, when reading style (isContentEditable) would make the browser recalculate it. The
  // isContentEditable fallback is for documents in designMode, which have no attribute to read.
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
    } else if (editableAttr(el) || el.isContentEditable === true) {
      kind = 'editable';
    }
    return kind && !isSecret(el) ? kind : null;
  }

  const EDITABLE_SELECTOR = '[contenteditable]';

  // The element whose text is the field: an input or textarea itself, or the outermost element of a
  // contenteditable region (rich-text editors — Quill, ProseMirror/TipTap, Lexical, Slate, Draft.js —
  // all edit one, and an event may start on a text node or a nested element inside it). closest()
  // matches attributes up the tree without reading style; an input event's target is usually the
  // editing host itself already.
  function fieldOf(node) {
    const el = node && node.nodeType === TEXT_NODE ? node.parentElement : node;
    if (!el || typeof el !== 'object') {
      return null;
    }
    const name = el.localName;
    if (name === 'input' || name === 'textarea' || typeof el.closest !== 'function') {
      return el;
    }
    let root = el.closest(EDITABLE_SELECTOR);
    if (!root || !editableAttr(root)) {
      return el; // not in an editable region (or in a contenteditable="false" island)
    }
    for (let up = root.parentElement?.closest(EDITABLE_SELECTOR); up && editableAttr(up); up = up.parentElement?.closest(EDITABLE_SELECTOR)) {
      root = up;
    }
    return root;
  }

  function readText(el, kind) {
    const text = kind === 'value' ? el.value : (el.innerText ?? el.textContent);
    return typeof text === 'string' ? text : '';
  }

  // The field's text without forcing layout (textContent, not innerText), for a look at whether it
  // was cleared. Never read per keystroke.
  function quickText(el, kind) {
    const text = kind === 'value' ? el.value : el.textContent;
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

  // A string with something other than white space in it (stops at the first such character).
  const NOT_BLANK = /\S/;

  // --- the key journal: what was typed, from the events themselves --------------------------------
  // Some editors keep no text in the DOM: Google Docs takes keystrokes in a hidden frame whose editable
  // body it empties after each one (the document is drawn on a canvas); terminal emulators (xterm.js)
  // take keys through a hidden textarea and cancel the keydown of every printable key, so not even an
  // input event comes. Reading such a field after a pause finds nothing. So each field also keeps a
  // journal of what its events inserted, deleted (Backspace) and broke into lines (Enter), used only
  // when the field itself reads blank. Fields that are not fields (password, cc-*, one-time-code:
  // fieldKind null) get no journal.

  // One character the key types (a printable key without Ctrl, Alt or Meta), or null.
  function typedChar(event) {
    const key = event.key;
    if (typeof key !== 'string' || event.ctrlKey || event.metaKey || event.altKey) {
      return null;
    }
    return key.length === 1 || (key.length === 2 && key.codePointAt(0) > 0xffff) ? key : null;
  }

  // Keys worth a journal entry when the page cancels them (its own code then acts on them).
  function journalKey(event) {
    const key = event.key;
    return key === 'Backspace' || key === 'Enter' ? key : typedChar(event);
  }

  // The journal after a key the page cancelled: its character, one character less, or a new line.
  function applyKey(text, key) {
    if (key === 'Backspace') {
      return dropLast(text);
    }
    return text + (key === 'Enter' ? '\n' : key);
  }

  // The journal after an input event: its inserted text (data, or the clipboard's for a paste), a line
  // break, or one character or word less.
  function applyInput(text, inputType, data) {
    if (inputType === 'insertParagraph' || inputType === 'insertLineBreak') {
      return text + '\n';
    }
    if (inputType.startsWith('insert')) {
      return typeof data === 'string' ? text + data : text;
    }
    if (inputType === 'deleteContentBackward') {
      return dropLast(text);
    }
    if (inputType === 'deleteWordBackward') {
      return text.replace(/\S*\s*$/u, '');
    }
    return text;
  }

  function dropLast(text) {
    const code = text.charCodeAt(text.length - 1);
    return text.slice(0, code >= 0xdc00 && code <= 0xdfff && text.length >= 2 ? -2 : -1);
  }

  // The debounce state machine. Dependencies come in so tests can use a fake clock:
  //   send({fieldId, text})  called with a field's current full text;
  //   setTimer(fn, ms) / clearTimer(handle)  like setTimeout / clearTimeout;
  //   now()  milliseconds, like performance.now (an event's timeStamp is on the same clock and is
  //          what input() is given: reading the clock from a content script costs more than the field);
  //   random(uint8Array)  like crypto.getRandomValues (randomUUID needs a secure context).
  //
  // Message generations: the host counts a hit once per (tab, fieldId, entry, surrounding text). A
  // chat box is one element for the page's life but holds many messages, so once a field has been
  // sent and is then seen blank or shrunk to under half of what was sent (the app cleared it after
  // sending, or the pupil deleted the message), its next text is a new message: the fieldId becomes
  // `${base}#${generation}`. Edits to the same draft keep the generation, so re-sending a draft is
  // recognised as a repeat. The field is looked at (its text read once, without layout; never per
  // keystroke):
  //   - at each flush, and again a pause after it;
  //   - at the first input after a flush (whether it sent or found the text as sent);
  //   - at an input that deletes (the box may now be empty);
  //   - before a paste, drop or cut lands (beforeEdit), when a cleared box is still empty.
  function createTracker({ send, setTimer, clearTimer, random, now = () => Date.now(), pauseMs = PAUSE_MS, maxChars = MAX_TEXT }) {
    const prefix = randomPrefix(random);
    let counter = 0;
    // element → {base, generation, lastSent, sentLength, checkNext, journal}; sentLength 0: nothing sent
    // in this generation yet; journal: what the field's events typed (see applyKey), at most maxChars.
    const fields = new WeakMap();
    const pending = new Set();
    // One pause timer for all fields. An input only moves pauseDue; the timer, when it fires, waits
    // again if the due time moved: no clearTimeout/setTimeout per keystroke.
    let pauseTimer = null;
    let pauseDue = 0;
    // Fields sent a moment ago, looked at once more a pause later: a chat app clears its box after
    // sending, so a message pasted into it next is new even though no keystroke showed the box empty.
    const recheck = new Set();
    let recheckTimer = null;
    // The last input's origin, its field and the field's kind: an input event's target is the same
    // node keystroke after keystroke, so its field is found once. The kind is checked again when the
    // field is sent (a field that became a password field is never sent).
    let lastNode = null;
    let lastField = null;
    let lastKind = null;

    function state(el) {
      let s = fields.get(el);
      if (s === undefined) {
        counter += 1;
        s = { base: `${prefix}-${counter}`, generation: 0, lastSent: null, sentLength: 0, checkNext: false, journal: '' };
        fields.set(el, s);
      }
      return s;
    }

    function messageId(s) {
      return s.generation === 0 ? s.base : `${s.base}#${s.generation}`;
    }

    function newMessage(s) {
      s.generation += 1;
      s.lastSent = null;
      s.sentLength = 0;
      s.checkNext = false;
    }

    // After a send: is the field's text now blank, or under half of what was sent?
    function isNewMessage(s, text) {
      return s.sentLength > 0 && (!NOT_BLANK.test(text) || text.length * 2 < s.sentLength);
    }

    // The field's text, or its journal when the field reads blank and the journal does not (an editor
    // that keeps no text in the DOM). A field that shows text is the truth: its journal starts again.
    function textOrJournal(s, text) {
      if (NOT_BLANK.test(text)) {
        s.journal = '';
        return text;
      }
      return NOT_BLANK.test(s.journal) ? s.journal : text;
    }

    // One look at the field between sends (textContent, not innerText: no layout).
    function lookAgain(el, kind, s) {
      s.checkNext = false;
      if (isNewMessage(s, textOrJournal(s, quickText(el, kind)))) {
        newMessage(s);
      }
    }

    function sendField(el) {
      // Checked again: a field can have become a password field since it was typed in.
      const kind = fieldKind(el);
      if (!kind) {
        return;
      }
      const s = state(el);
      const full = textOrJournal(s, readText(el, kind));
      if (isNewMessage(s, full)) {
        newMessage(s);
      }
      const text = capText(full, maxChars);
      if (NOT_BLANK.test(text) && text !== s.lastSent) {
        s.lastSent = text;
        s.sentLength = full.length;
        send({ fieldId: messageId(s), text });
      }
      if (s.sentLength > 0) {
        // Sent now or before, and the field holds it: whatever happens to the box next is looked at.
        s.checkNext = true;
        recheck.add(el);
        if (recheckTimer === null) {
          recheckTimer = setTimer(recheckSent, pauseMs);
        }
      }
    }

    function recheckSent() {
      recheckTimer = null;
      const list = [...recheck];
      recheck.clear();
      for (const el of list) {
        const s = fields.get(el);
        const kind = fieldKind(el);
        if (s !== undefined && kind && s.checkNext) {
          lookAgain(el, kind, s);
          s.checkNext = s.sentLength > 0; // still as sent: the next input looks again too
        }
      }
    }

    function armPause(at) {
      pauseDue = at + pauseMs;
      if (pauseTimer === null) {
        pauseTimer = setTimer(pauseOver, pauseMs);
      }
    }

    function pauseOver() {
      pauseTimer = null;
      const wait = pauseDue - now();
      if (wait > 0) {
        pauseTimer = setTimer(pauseOver, wait);
        return;
      }
      flushAll();
    }

    function stopPause() {
      if (pauseTimer !== null) {
        clearTimer(pauseTimer);
        pauseTimer = null;
      }
    }

    function flushAll() {
      settleKey();
      stopPause();
      const list = [...pending];
      pending.clear();
      for (const el of list) {
        sendField(el);
      }
    }

    // The last keydown on a field that would go in its journal if the page cancels it. Whether it did is
    // only known once the page's own listeners have run: it is looked at on the next key, input, flush or
    // pause (no timer per key). An input event after it means the browser applied the key itself.
    let lastKey = null; // {el, key, event, sawInput}

    function settleKey() {
      const k = lastKey;
      if (k === null) {
        return;
      }
      lastKey = null;
      if (!k.sawInput && k.event.defaultPrevented === true) {
        const s = state(k.el);
        s.journal = capText(applyKey(s.journal, k.key), maxChars);
      }
    }

    // A field typed in: the pause moves. The usual keystroke is more typing in a field already waiting
    // for its pause (its look after the last flush is done) and costs nothing more; else the field is
    // looked at first when it was sent and may have been cleared since, or this deletes.
    function noteTyped(el, kind, s, at, deleting) {
      if (!pending.has(el) || deleting) {
        if (s.sentLength > 0 && (s.checkNext || deleting)) {
          lookAgain(el, kind, s);
        }
        pending.add(el);
      }
      armPause(at);
    }

    function noteInputNode(node) {
      if (node !== lastNode) {
        lastNode = node;
        lastField = fieldOf(node);
        lastKind = fieldKind(lastField);
      }
    }

    return {
      /** The field's ID for the page's life (without the message generation). */
      fieldId: (el) => state(fieldOf(el)).base,

      /** The ID its next text is sent under: the base ID, then `${base}#${generation}`. */
      messageId: (el) => messageId(state(fieldOf(el))),

      /** The element that is the field for an event's origin, or null when it is none. */
      fieldOf,

      // On every input event: note the field and move the pause's due time to a pause after `at`
      // (the event's timeStamp). Nothing else, except a look at the field at the first input after a
      // flush and at a deletion (see above).
      input(node, inputType = '', at = now(), data = null) {
        if (lastKey !== null) {
          lastKey.sawInput = true;
        }
        noteInputNode(node);
        const el = lastField;
        const kind = lastKind;
        if (!kind) {
          return false;
        }
        const s = state(el);
        s.journal = capText(applyInput(s.journal, inputType, data), maxChars);
        // A deletion, cut or undo that left the field blank (select all, Delete) took everything: the
        // journal too. Only for edits that insert nothing, so never per keystroke of typing.
        if (s.journal !== '' && !inputType.startsWith('insert') && !NOT_BLANK.test(quickText(el, kind))) {
          s.journal = '';
        }
        noteTyped(el, kind, s, at, inputType.startsWith('delete'));
        return true;
      },

      // Every keydown (before the page's own listeners): the key before it is settled, and a key that
      // could go in the journal notes its field as typed in, as an input would. Enter sends the field
      // (a chat's handler may clear it next), with everything typed before it.
      keyDown(node, event) {
        settleKey();
        const key = journalKey(event);
        if (key === null || event.isComposing) {
          return false;
        }
        noteInputNode(node);
        const el = lastField;
        if (!lastKind) {
          return false;
        }
        lastKey = { el, key, event, sawInput: false };
        if (key === 'Enter') {
          this.flush(el);
        } else {
          noteTyped(el, lastKind, state(el), event.timeStamp ?? now(), false);
        }
        return true;
      },

      /** What a field's events typed (for tests and diagnostics). */
      journalOf: (el) => fields.get(fieldOf(el))?.journal ?? '',

      // Paste, drop, cut, before the browser or an editor applies them: rich-text editors (Quill)
      // cancel the browser's paste and insert through their own code, so no input event may follow.
      // The field is looked at as it is before the change and noted as typed in.
      beforeEdit(node, at = now()) {
        const el = fieldOf(node);
        const kind = fieldKind(el);
        if (!kind) {
          return false;
        }
        const s = fields.get(el);
        if (s !== undefined && s.sentLength > 0) {
          lookAgain(el, kind, s);
        }
        pending.add(el);
        armPause(at);
        return true;
      },

      // Enter, blur: send this field now if it was typed in since it was last sent.
      flush(node) {
        if (lastKey !== null && lastKey.key !== 'Enter') {
          settleKey();
        }
        const el = fieldOf(node);
        if (!pending.delete(el)) {
          return;
        }
        if (pending.size === 0) {
          stopPause();
        }
        sendField(el);
      },

      // Form submit, a click or tap anywhere (a send button may clear the box), page hide, the pause.
      flushAll,

      get pendingCount() {
        return pending.size;
      },
    };
  }

  // What the pupil typed on this page recently, so the page-text reader can leave out a chat's echo of
  // the pupil's own message (that text was already sent as typed). Bounded in entries, age and size.
  function normalise(text) {
    return text.replace(/\s+/g, ' ').trim().toLowerCase();
  }

  function createRecentTexts({ now, maxAgeMs = 10 * 60 * 1000, maxEntries = 20, maxChars = 16 * 1024, minStrip = 12 }) {
    let entries = []; // [{text, at}], oldest first

    function prune() {
      const limit = now() - maxAgeMs;
      let total = 0;
      const kept = [];
      for (let i = entries.length - 1; i >= 0 && kept.length < maxEntries; i--) {
        const e = entries[i];
        if (e.at < limit || total + e.text.length > maxChars) {
          break;
        }
        total += e.text.length;
        kept.push(e);
      }
      entries = kept.reverse();
    }

    return {
      add(text) {
        const t = normalise(String(text ?? '')).slice(-maxChars);
        if (t === '') {
          return;
        }
        // A longer draft of the same message replaces the shorter one.
        entries = entries.filter((e) => !t.includes(e.text));
        entries.push({ text: t, at: now() });
        prune();
      },

      /** True when all of `text` is part of something typed recently. Free while nothing was typed. */
      contains(text) {
        if (entries.length === 0) {
          return false;
        }
        prune();
        const t = normalise(text);
        return t !== '' && entries.some((e) => e.text.includes(t));
      },

      /**
       * `text` without what was typed recently: '' when all of it was typed (a chat's echo of the
       * pupil's message), else with each typed message of at least minStrip characters taken out
       * ("Me: <message>" keeps "Me:"). Spaces collapsed; case kept. Free while nothing was typed.
       */
      strip(text) {
        if (entries.length === 0) {
          return text;
        }
        if (this.contains(text)) {
          return '';
        }
        let result = text.replace(/\s+/g, ' ');
        let lower = result.toLowerCase();
        if (lower.length !== result.length) {
          return text; // case folding changed lengths: positions would not match
        }
        for (const e of entries) {
          if (e.text.length < minStrip) {
            continue;
          }
          for (let at = lower.indexOf(e.text); at >= 0; at = lower.indexOf(e.text)) {
            result = result.slice(0, at) + result.slice(at + e.text.length);
            lower = lower.slice(0, at) + lower.slice(at + e.text.length);
          }
        }
        return result.replace(/ {2,}/g, ' ');
      },

      get size() {
        return entries.length;
      },
    };
  }

  globalThis.eSafeCapture = Object.freeze({
    MAX_TEXT, PAUSE_MS, fieldKind, fieldOf, readText, capText, createTracker, createRecentTexts, normalise,
    applyKey, applyInput, journalKey,
  });
})();
