// @ts-check
// The pure part of page-text capture: walks the rendered text of a document in time-boxed slices,
// takes later additions from MutationObserver records, never sends the same text twice, caps and
// chunks what it sends. Small parts with one job each, wired together by createPageText: the budget
// (characters a page may send), the seen lines (text already sent), the output (lines, chunks, when to
// send), the walker (rendered text under a root, a step at a time) and the mutation batcher (records
// held until the page goes quiet). A classic script that only defines globalThis.eSafePageText; node
// tests load it with node:vm and drive each part, and the whole, with a fake DOM and a fake clock. The
// DOM is read through a handful of properties (nodeType, nodeValue, localName, firstChild, nextSibling,
// parentNode, isConnected, getAttribute, isContentEditable) and the functions passed in.
'use strict';

(() => {
  const ELEMENT = 1;
  const TEXT = 3;
  const DOCUMENT = 9;
  const FRAGMENT = 11; // a shadow root

  // Never rendered as text, or not the page's text (form fields are typed text; frames have their own
  // content script; svg title/desc are tooltips).
  const SKIP_TAGS = new Set([
    'script', 'style', 'noscript', 'template', 'head', 'title', 'meta', 'link', 'base',
    'textarea', 'input', 'select', 'option', 'optgroup', 'datalist',
    'iframe', 'frame', 'frameset', 'object', 'embed', 'canvas', 'video', 'audio', 'img', 'picture',
    'source', 'track', 'map', 'area', 'desc', 'slot',
  ]);
  // Elements that start a new line (no layout is read to find out: their default display is block or
  // they separate cells). Custom elements count too: most are styled as blocks.
  const BLOCK_TAGS = new Set([
    'address', 'article', 'aside', 'blockquote', 'body', 'br', 'caption', 'dd', 'details', 'dialog',
    'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4',
    'h5', 'h6', 'header', 'hgroup', 'hr', 'html', 'legend', 'li', 'main', 'nav', 'ol', 'p', 'pre',
    'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul', 'menu', 'search',
  ]);
  // Attributes whose change can reveal text that was hidden when it was walked.
  const REVEALING_ATTRIBUTES = ['class', 'style', 'hidden', 'aria-hidden', 'open'];

  const LETTER = /\p{L}/u;
  const SPACE_RUN = /\s+/g;
  // The most characters of one text node handled in one step, so a huge text node cannot make a long task.
  const STEP_CHARS = 16 * 1024;
  // Below this a text node is too short to call an echo of typed text on its own (it could be one word
  // of someone else's sentence); a whole line is checked at any length.
  const MIN_ECHO_NODE = 12;
  // Text already sent, remembered by hash: bounded.
  const MAX_REMEMBERED_LINES = 20_000;
  // Elements skipped because they were hidden, kept to walk again when an attribute change may have
  // revealed them: bounded.
  const MAX_HIDDEN = 2000;
  // Work waiting behind an exhausted budget: bounded (the oldest goes).
  const MAX_QUEUE = 5000;
  // A growing text node (streamed replies) is sent as its new end with this much of what came before,
  // so a phrase that spans the join is still seen whole.
  const TAIL_OVERLAP = 40;

  // A 53-bit hash (cyrb53) of a string's length and at most its first and last 4 K characters.
  function hashText(s) {
    const n = s.length;
    let h1 = 0xdeadbeef ^ n;
    let h2 = 0x41c6ce57 ^ n;
    const head = n <= 8192 ? n : 4096;
    for (let i = 0; i < head; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    for (let i = n <= 8192 ? n : n - 4096; i < n; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return 4294967296 * (2097151 & h2) + (h1 >>> 0);
  }

  // The first `max` characters, never ending on half a surrogate pair.
  function capStart(text, max) {
    if (text.length <= max) {
      return text;
    }
    const code = text.charCodeAt(max - 1);
    return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
  }

  function attr(el, name) {
    return typeof el.getAttribute === 'function' ? el.getAttribute(name) : null;
  }

  // Never page text, whatever its style: skipped tags and editable regions (those are typed text).
  function neverText(el) {
    if (SKIP_TAGS.has(el.localName)) {
      return true;
    }
    const editable = attr(el, 'contenteditable');
    return (editable !== null && editable.toLowerCase() !== 'false') || el.isContentEditable === true;
  }

  // Hidden by its own markup (no style needed): hidden, aria-hidden="true".
  function hiddenByMarkup(el) {
    return attr(el, 'hidden') !== null || attr(el, 'aria-hidden') === 'true';
  }

  function isBlock(el) {
    const name = el.localName;
    return BLOCK_TAGS.has(name) || (typeof name === 'string' && name.includes('-'));
  }

  // --- the budget: how many characters may still be sent ---------------------------------------------
  // A page load may send loadBudget characters; after that the budget refills at refillPerMinute. Each
  // line costs its length and its line break.
  function createBudget({ now, loadBudget, refillPerMinute }) {
    let tokens = loadBudget;
    let refilledAt = null;
    let dropped = 0;
    return {
      /** Starts counting refills from now (the page's first walk). */
      start() {
        refilledAt = now();
      },

      refill() {
        const t = now();
        if (refilledAt !== null) {
          tokens = Math.min(loadBudget, tokens + ((t - refilledAt) * refillPerMinute) / 60_000);
        }
        refilledAt = t;
      },

      /** The line, or as much of its start as the budget allows, paid for; null when nothing is left. */
      spend(text) {
        let line = text;
        if (tokens < line.length + 1) {
          const room = Math.max(0, Math.floor(tokens) - 1);
          dropped += line.length - room;
          line = capStart(line, room);
          if (line.trim() === '') {
            tokens = 0;
            return null;
          }
        }
        tokens -= line.length + 1;
        return line;
      },

      /** Less than one character left. */
      get empty() {
        return tokens < 1;
      },

      /** How long until a few K characters can be sent again. */
      get resumeMs() {
        return Math.ceil((4096 * 60_000) / refillPerMinute);
      },

      get tokens() {
        return tokens;
      },

      /** Characters left out for the budget so far. */
      get dropped() {
        return dropped;
      },
    };
  }

  // --- seen lines: text already sent, by hash, bounded (the oldest quarter goes) ----------------------
  function createSeenLines({ max = MAX_REMEMBERED_LINES } = {}) {
    const hashes = new Set();
    return {
      has: (hash) => hashes.has(hash),

      add(hash) {
        hashes.add(hash);
        if (hashes.size > max) {
          let drop = max / 4;
          for (const old of hashes) {
            hashes.delete(old);
            if (--drop <= 0) {
              break;
            }
          }
        }
      },

      get size() {
        return hashes.size;
      },
    };
  }

  // --- output: lines built from text pieces, chunks of at most chunkChars, sent no closer than
  // sendGapMs apart unless the text is due ---------------------------------------------------------
  /**
   * @param {object} deps
   * @param {(text: string) => void} deps.send
   * @param {() => number} deps.now
   * @param {(fn: Function, ms: number) => any} deps.setTimer
   * @param {ReturnType<typeof createBudget>} deps.budget
   * @param {ReturnType<typeof createSeenLines>} deps.seen
   * @param {(line: string) => string} deps.stripEcho
   * @param {() => void} [deps.onEmit]  after each chunk is sent
   * @param {number} deps.chunkChars
   * @param {number} deps.sendGapMs
   */
  function createOutput({ send, now, setTimer, budget, seen, stripEcho, onEmit = () => {}, chunkChars, sendGapMs }) {
    // The line being built.
    let line = [];
    let lineLength = 0;
    let lineEndsInSpace = true;
    let lineHadEcho = false; // a text node of this line was left out as the pupil's own typing
    // The lines waiting to be sent.
    let out = [];
    let outLength = 0;
    let lastSendAt = -Infinity;
    let sendTimer = null;
    const counts = { chunks: 0, chars: 0 };

    function emit() {
      sendTimer = null; // a pending send timer now finds nothing to do
      if (out.length === 0) {
        return;
      }
      const text = out.join('\n');
      out = [];
      outLength = 0;
      lastSendAt = now();
      counts.chunks += 1;
      counts.chars += text.length;
      send(text);
      onEmit();
    }

    function addLine(raw, hadEcho) {
      let text = raw.trim();
      if (text === '' || !LETTER.test(text)) {
        return;
      }
      const stripped = stripEcho(text).trim();
      // What is left of a line that showed the pupil's own message is its frame ("Me:", "You 10:42").
      if (stripped === '' || !LETTER.test(stripped) || ((hadEcho || stripped !== text) && stripped.length < MIN_ECHO_NODE)) {
        return;
      }
      text = stripped;
      const hash = hashText(text);
      if (seen.has(hash)) {
        return;
      }
      const paid = budget.spend(text);
      if (paid === null) {
        return;
      }
      text = paid;
      seen.add(hash);
      if (outLength > 0 && outLength + 1 + text.length > chunkChars) {
        emit();
      }
      out.push(text);
      outLength += (outLength > 0 ? 1 : 0) + text.length;
      if (outLength >= chunkChars) {
        emit();
      }
    }

    function endLine() {
      if (lineLength > 0) {
        const text = line.length === 1 ? line[0] : line.join('');
        line = [];
        lineLength = 0;
        addLine(text, lineHadEcho);
      }
      lineHadEcho = false;
      lineEndsInSpace = true;
    }

    return {
      /** A piece of text on the current line (white space collapsed; a line never passes chunkChars). */
      append(raw) {
        let piece = raw.replace(SPACE_RUN, ' ');
        if (lineEndsInSpace && piece.charCodeAt(0) === 32) {
          piece = piece.slice(1);
        }
        if (piece === '') {
          return;
        }
        if (lineLength + piece.length > chunkChars) {
          endLine();
          if (piece.charCodeAt(0) === 32) {
            piece = piece.slice(1);
          }
        }
        line.push(piece);
        lineLength += piece.length;
        lineEndsInSpace = piece.charCodeAt(piece.length - 1) === 32;
      },

      endLine,

      /** A text node of the current line was the pupil's own typing, left out. */
      noteEcho() {
        lineHadEcho = true;
      },

      get endsInSpace() {
        return lineEndsInSpace;
      },

      /**
       * Sends what is waiting: now when forced or the last send was long enough ago, else later, but
       * never after dueAt (the bound of the changes it holds).
       */
      settle(force = false, dueAt = Infinity) {
        endLine();
        if (out.length === 0) {
          return;
        }
        const wait = Math.min(lastSendAt + sendGapMs, dueAt) - now();
        if (force || wait <= 0) {
          emit();
        } else if (sendTimer === null) {
          const timer = setTimer(() => {
            if (sendTimer === timer) {
              sendTimer = null;
              emit();
            }
          }, wait);
          sendTimer = timer;
        }
      },

      get counts() {
        return { ...counts };
      },
    };
  }

  // --- the walker: the rendered text under a root, one node (or STEP_CHARS of one) a step -------------
  /**
   * @param {object} deps
   * @param {ReturnType<typeof createOutput>} deps.output
   * @param {(el: object) => boolean} deps.isRendered
   * @param {(el: object) => boolean} deps.showsText
   * @param {(el: object) => object|null} deps.shadowRootOf
   * @param {(root: object) => void} deps.onShadowRoot
   * @param {(text: string) => boolean} deps.isEcho
   */
  function createWalker({ output, isRendered, showsText, shadowRootOf, onShadowRoot, isEcho }) {
    // Text nodes already taken: node → {length, hash} of the text taken, so a node that grows (streamed
    // replies) can send only its new end.
    const taken = new WeakMap();
    const knownShadowRoots = new WeakSet();
    // Elements skipped as hidden (insertion order: oldest first).
    const hidden = new Set();
    // Per batch: element → boolean.
    let visibleText = new WeakMap();
    let blockedAbove = new WeakMap();
    // The walk in progress: {root, node, exit, offset, restarts, first}.
    let cursor = null;

    function textShown(parent) {
      if (!parent || parent.nodeType !== ELEMENT) {
        return true;
      }
      let shown = visibleText.get(parent);
      if (shown === undefined) {
        shown = showsText(parent) !== false;
        visibleText.set(parent, shown);
      }
      return shown;
    }

    function parentOf(node) {
      if (node.nodeType === FRAGMENT) {
        return node.host ?? null;
      }
      return node.parentNode ?? null;
    }

    // True when an ancestor of `node` keeps it from being page text (skipped tag, hidden, editable).
    function isBlockedAbove(node) {
      const chain = [];
      let verdict = false;
      for (let p = parentOf(node); p; p = parentOf(p)) {
        if (p.nodeType === DOCUMENT) {
          break;
        }
        if (p.nodeType !== ELEMENT) {
          continue;
        }
        const known = blockedAbove.get(p);
        if (known !== undefined) {
          verdict = known;
          break;
        }
        chain.push(p);
        if (neverText(p) || hiddenByMarkup(p)) {
          verdict = true;
          break;
        }
      }
      for (const el of chain) {
        blockedAbove.set(el, verdict);
      }
      return verdict;
    }

    function noteHidden(el) {
      hidden.delete(el);
      hidden.add(el);
      if (hidden.size > MAX_HIDDEN) {
        hidden.delete(hidden.values().next().value);
      }
    }

    function firstChildOf(node) {
      if (node.nodeType === ELEMENT) {
        const shadow = shadowRootOf(node);
        if (shadow) {
          if (!knownShadowRoots.has(shadow)) {
            knownShadowRoots.add(shadow);
            onShadowRoot(shadow);
          }
          return shadow;
        }
      }
      return node.firstChild ?? null;
    }

    function nextSiblingOf(node) {
      if (node.nodeType === FRAGMENT) {
        return node.host?.firstChild ?? null; // after the shadow tree, the host's own children
      }
      return node.nextSibling ?? null;
    }

    function startWalk(root, first = false) {
      output.endLine();
      cursor = { root, node: root, exit: false, offset: 0, restarts: 0, first };
    }

    function advance(node) {
      if (node === cursor.root) {
        output.endLine();
        cursor = null;
        return;
      }
      const next = nextSiblingOf(node);
      if (next) {
        cursor.node = next;
        cursor.exit = false;
        return;
      }
      const parent = parentOf(node);
      if (!parent) {
        cursor = null;
        return;
      }
      cursor.node = parent;
      cursor.exit = true;
    }

    function takeText(node) {
      const value = node.nodeValue;
      const text = typeof value === 'string' ? value : '';
      if (cursor.offset === 0) {
        if (taken.has(node)) {
          return true;
        }
        if (text.trim() === '') {
          if (text !== '' && !output.endsInSpace) {
            output.append(' ');
          }
          return true;
        }
        if (!textShown(node.parentNode)) {
          noteHidden(node.parentNode); // not taken: a reveal walks it again
          return true;
        }
        if (text.length >= MIN_ECHO_NODE && text.length <= 4 * STEP_CHARS && isEcho(text)) {
          taken.set(node, { length: text.length, hash: hashText(text) });
          output.noteEcho();
          return true;
        }
      }
      let end = Math.min(text.length, cursor.offset + STEP_CHARS);
      if (end < text.length) {
        // Stop after a space, so a line forced to end at the chunk size does not cut a word.
        const space = Math.max(text.lastIndexOf(' ', end - 1), text.lastIndexOf('\n', end - 1));
        if (space > cursor.offset + STEP_CHARS / 2) {
          end = space + 1;
        }
      }
      output.append(text.slice(cursor.offset, end));
      if (end < text.length) {
        cursor.offset = end;
        return false; // more of this node in the next step
      }
      cursor.offset = 0;
      taken.set(node, { length: text.length, hash: hashText(text) });
      return true;
    }

    // A text node whose text changed after it was taken (characterData).
    function takeChanged(node) {
      const value = node.nodeValue;
      const text = typeof value === 'string' ? value : '';
      const before = taken.get(node);
      if (before && before.length === text.length && before.hash === hashText(text)) {
        return; // set to what it was
      }
      if (!textShown(node.parentNode)) {
        noteHidden(node.parentNode);
        return;
      }
      output.endLine();
      if (before && text.length > before.length && hashText(text.slice(0, before.length)) === before.hash) {
        let lead = text.slice(Math.max(0, before.length - TAIL_OVERLAP), before.length);
        const space = lead.indexOf(' ');
        if (before.length > TAIL_OVERLAP && space >= 0) {
          lead = lead.slice(space + 1);
        }
        output.append(lead + capStart(text.slice(before.length), STEP_CHARS));
      } else {
        output.append(capStart(text, STEP_CHARS));
      }
      output.endLine();
      taken.set(node, { length: text.length, hash: hashText(text) });
    }

    return {
      /** A walk in progress. */
      get walking() {
        return cursor !== null;
      },

      /** The walk in progress is the page's first. */
      get onFirstWalk() {
        return cursor?.first === true;
      },

      /** Drops the walk in progress. */
      stop() {
        cursor = null;
      },

      /** Starts work on one item: {type: 'first'|'root'|'changed', node}. */
      startItem(item) {
        const { node } = item;
        if (!node || node.isConnected === false || isBlockedAbove(node)) {
          return;
        }
        if (item.type === 'changed') {
          takeChanged(node);
          return;
        }
        if (item.type === 'first') {
          startWalk(node, true);
          return;
        }
        const parent = parentOf(node);
        if (parent && parent.nodeType === ELEMENT && isRendered(parent) === false) {
          noteHidden(parent);
          return;
        }
        startWalk(node);
      },

      // One step of the walk: one node entered or left, or up to STEP_CHARS of one text node.
      step() {
        const node = cursor.node;
        if (cursor.exit) {
          if (node.nodeType === ELEMENT && isBlock(node)) {
            output.endLine();
          }
          advance(node);
          return;
        }
        switch (node.nodeType) {
          case TEXT:
            if (takeText(node)) {
              advance(node);
            }
            return;
          case ELEMENT:
            if (neverText(node)) {
              advance(node);
              return;
            }
            if (hiddenByMarkup(node) || isRendered(node) === false) {
              noteHidden(node);
              advance(node);
              return;
            }
            if (isBlock(node)) {
              output.endLine();
            }
            break;
          case DOCUMENT:
          case FRAGMENT:
            break;
          default: // comments, processing instructions
            advance(node);
            return;
        }
        const first = firstChildOf(node);
        if (first) {
          cursor.node = first;
        } else {
          cursor.exit = true;
        }
      },

      // A walk whose next node was removed under it starts again from its root (what it already took
      // is skipped); a root that went away is dropped.
      checkCursor() {
        if (cursor && cursor.node.isConnected === false) {
          if (cursor.root.isConnected === false || cursor.restarts >= 3) {
            cursor = null;
          } else {
            cursor = { ...cursor, node: cursor.root, exit: false, offset: 0, restarts: cursor.restarts + 1 };
          }
        }
      },

      /** A new batch of changes: what was known of visibility may have changed. */
      newBatch() {
        visibleText = new WeakMap();
        blockedAbove = new WeakMap();
        // Hidden elements that left the page are let go (they would keep a detached subtree alive).
        for (const el of hidden) {
          if (el.isConnected === false) {
            hidden.delete(el);
          }
        }
      },

      /**
       * The hidden elements that are one of the changed elements or inside one, forgotten as hidden: an
       * attribute change can only reveal what was skipped as hidden, so those are walked again.
       */
      revealedBy(changedElements) {
        const revealed = [];
        if (changedElements.size === 0 || hidden.size === 0) {
          return revealed;
        }
        for (const el of [...hidden]) {
          for (const changed of changedElements) {
            if (changed === el || (typeof changed.contains === 'function' && changed.contains(el))) {
              hidden.delete(el);
              revealed.push(el);
              break;
            }
          }
        }
        return revealed;
      },
    };
  }

  // --- the mutation batcher: records held until the page goes quiet --------------------------------
  // A batch is due quietMs after its last record, or takeByMs after its first on a page that never goes
  // quiet. The callback, which runs for every change (every keystroke in an editor), reads no clock but
  // for a batch's first records. Too many records at once become an overflow: walk the whole page again.
  /**
   * @param {object} deps
   * @param {() => number} deps.now
   * @param {(fn: Function, ms: number) => any} deps.setTimer
   * @param {() => void} deps.onDue  the batch is due (take() it, or leave it for later)
   * @param {number} deps.quietMs
   * @param {number} deps.takeByMs
   * @param {number} deps.maxPendingRecords
   */
  function createMutationBatcher({ now, setTimer, onDue, quietMs, takeByMs, maxPendingRecords }) {
    let records = [];
    let overflow = false;
    let firstRecordAt = null;
    let changedSinceTimer = false;
    let batchTimer = null;

    function checkBatch() {
      batchTimer = null;
      if (records.length === 0 && !overflow) {
        return;
      }
      const waited = now() - firstRecordAt;
      if (!changedSinceTimer || waited >= takeByMs) {
        onDue();
        return;
      }
      changedSinceTimer = false;
      batchTimer = setTimer(checkBatch, Math.min(quietMs, takeByMs - waited));
    }

    return {
      /** A MutationObserver callback's records: O(records), nothing read from the DOM. */
      add(list) {
        if (overflow) {
          return;
        }
        if (records.length + list.length > maxPendingRecords) {
          overflow = true;
          records = [];
        } else {
          for (const record of list) {
            records.push(record);
          }
        }
        if (batchTimer === null) {
          firstRecordAt ??= now();
          changedSinceTimer = false;
          batchTimer = setTimer(checkBatch, quietMs);
        } else {
          changedSinceTimer = true;
        }
      },

      get waiting() {
        return records.length > 0 || overflow;
      },

      get pendingRecords() {
        return records.length;
      },

      /** The batch: its records, whether it overflowed, and when its first record came (null: none). */
      take() {
        const batch = { records, overflow, firstAt: firstRecordAt };
        records = [];
        overflow = false;
        firstRecordAt = null;
        return batch;
      },
    };
  }

  // --- the reader: the parts wired together ------------------------------------------------------
  /**
   * @param {object} deps
   * @param {(text: string) => void} deps.send  one chunk of at most chunkChars characters
   * @param {() => number} deps.now  milliseconds (performance.now in the page)
   * @param {(fn: Function, ms: number) => any} deps.setTimer
   * @param {(fn: (budgetMs?: number) => void, timeoutMs?: number) => void} [deps.idle]  runs the next slice
   *        (requestIdleCallback in the page, passing the idle time left when it is less than sliceMs),
   *        within timeoutMs when given
   * @param {(el: object) => boolean} [deps.isRendered]  false: the element and all it holds show nothing
   *        (display:none; checkVisibility() in the page)
   * @param {(el: object) => boolean} [deps.showsText]  false: text directly in it is invisible
   *        (visibility:hidden); cached per element for a batch
   * @param {(el: any) => object|null} [deps.shadowRootOf]
   * @param {(root: object) => void} [deps.onShadowRoot]  a shadow root found: observe it too
   * @param {(text: string) => boolean} [deps.isEcho]  text the pupil typed on this page (already sent)
   * @param {(line: string) => string} [deps.stripEcho]  a line without what the pupil typed on this page
   * @param {() => boolean} [deps.canRun]  false while the page is hidden or prerendering
   * @param {() => object} deps.body  the element to walk on the first run
   * @param {number} [deps.sliceMs]  work in one slice, at most (about)
   * @param {number} [deps.chunkChars]  characters in one message, at most
   * @param {number} [deps.loadBudget]  characters a page load may send
   * @param {number} [deps.refillPerMinute]  characters a minute after that
   * @param {number} [deps.quietMs]  changes are read once the page was quiet this long
   * @param {number} [deps.maxWaitMs]  or this long after the first of them, text sent included
   * @param {number} [deps.sendGapMs]  between two sends, unless text is due
   * @param {number} [deps.maxPendingRecords]  mutation records held, at most (more: walk the page again)
   */
  function createPageText({
    send,
    now,
    setTimer,
    idle = (fn) => setTimer(fn, 0),
    isRendered = () => true,
    showsText = () => true,
    shadowRootOf = (el) => el.shadowRoot ?? null,
    onShadowRoot = () => {},
    isEcho = () => false,
    stripEcho = (line) => line,
    canRun = () => true,
    body,
    // 3 ms of work, leaving room inside the 10 ms a task may take for a minor GC (2–6 ms seen) and
    // for the one step that runs past the budget (on a 1 MB page a single DOM read, firstChild, was
    // seen to take 3 ms now and then).
    sliceMs = 3,
    chunkChars = 16 * 1024,
    loadBudget = 256 * 1024,
    refillPerMinute = 64 * 1024,
    quietMs = 500,
    // The bound from a change on the page to its text being sent, however busy the page: records are
    // taken at the latest quietMs before it (room for the idle slice and the walk), and neither the
    // idle wait nor the gap between sends pushes the text past it.
    maxWaitMs = 2000,
    sendGapMs = 3000,
    maxPendingRecords = 10_000,
  }) {
    // Work: {type: 'first'|'root'|'changed', node}.
    const queue = [];
    let sliceScheduled = false;
    let started = false;
    let resumeTimer = null;
    // When the text of the changes taken so far must be out (maxWaitMs after the first of them).
    let dueAt = Infinity;
    const stats = { slices: 0, longestSliceMs: 0, slicesOver10Ms: 0 };

    const budget = createBudget({ now, loadBudget, refillPerMinute });
    const seen = createSeenLines();
    const output = createOutput({
      send, now, setTimer, budget, seen, stripEcho, chunkChars, sendGapMs,
      onEmit: () => {
        if (!hasWork()) {
          dueAt = Infinity;
        }
      },
    });
    const walker = createWalker({ output, isRendered, showsText, shadowRootOf, onShadowRoot, isEcho });
    const batcher = createMutationBatcher({
      now, setTimer, quietMs, maxPendingRecords,
      takeByMs: maxWaitMs - quietMs,
      onDue: () => {
        if (canRun()) {
          takeRecords();
          scheduleSlice();
        }
        // Else they wait (bounded) for kick().
      },
    });

    function hasWork() {
      return walker.walking || queue.length > 0;
    }

    function scheduleSlice() {
      if (!sliceScheduled) {
        sliceScheduled = true;
        // Changes waiting on the bound: an idle moment, but not later than a quarter of quietMs before it.
        const left = dueAt - now();
        idle(runSlice, Number.isFinite(left) ? Math.max(1, Math.min(quietMs, left - quietMs / 4)) : undefined);
      }
    }

    function scheduleResume(ms) {
      if (resumeTimer === null) {
        resumeTimer = setTimer(() => {
          resumeTimer = null;
          scheduleSlice();
        }, ms);
      }
    }

    function runSlice(budgetMs) {
      sliceScheduled = false;
      if (!canRun()) {
        return; // kick() starts again when the page is shown
      }
      const start = now();
      const sliceBudget = Number.isFinite(budgetMs) ? Math.max(1, Math.min(sliceMs, budgetMs)) : sliceMs;
      stats.slices += 1;
      budget.refill();
      walker.checkCursor();
      while (hasWork()) {
        if (budget.empty) {
          if (walker.onFirstWalk) {
            walker.stop(); // the page's first walk stops at the load budget: the rest is not sent
            continue;
          }
          output.settle(true);
          // Wait for a few K characters of budget.
          scheduleResume(budget.resumeMs);
          break;
        }
        if (walker.walking) {
          walker.step();
        } else {
          walker.startItem(queue.shift());
        }
        if (now() - start >= sliceBudget && hasWork()) {
          scheduleSlice();
          break;
        }
      }
      if (!hasWork()) {
        output.settle(false, dueAt);
      }
      const took = now() - start;
      stats.longestSliceMs = Math.max(stats.longestSliceMs, took);
      if (took > 10) {
        stats.slicesOver10Ms += 1;
      }
    }

    // The waiting records become work.
    function takeRecords() {
      const batch = batcher.take();
      if (batch.firstAt !== null) {
        dueAt = Math.min(dueAt, batch.firstAt + maxWaitMs);
      }
      walker.newBatch();
      if (batch.overflow) {
        queue.push({ type: 'root', node: body() });
        return;
      }
      const queued = new Set();
      const push = (type, node) => {
        if (node && !queued.has(node)) {
          queued.add(node);
          queue.push({ type, node });
        }
      };
      const changedElements = new Set();
      for (const record of batch.records) {
        if (record.type === 'childList') {
          for (const node of record.addedNodes ?? []) {
            push(node.nodeType === TEXT ? 'changed' : 'root', node);
          }
        } else if (record.type === 'characterData') {
          push('changed', record.target);
        } else if (record.type === 'attributes') {
          changedElements.add(record.target);
        }
      }
      for (const el of walker.revealedBy(changedElements)) {
        push('root', el);
      }
      while (queue.length > MAX_QUEUE) {
        queue.shift();
      }
    }

    return {
      REVEALING_ATTRIBUTES,

      /** The first walk of the page (after it has loaded), or again after it was hidden. */
      kick() {
        if (!canRun()) {
          return;
        }
        if (!started) {
          started = true;
          budget.start();
          const root = body();
          if (root) {
            queue.push({ type: 'first', node: root });
          }
        }
        if (batcher.waiting) {
          takeRecords();
        }
        if (hasWork()) {
          scheduleSlice();
        }
      },

      /** A MutationObserver callback: O(records), nothing read from the DOM, no clock read but the batch's first. */
      mutations(list) {
        batcher.add(list);
      },

      /** Sends whatever is waiting (page hide). */
      flush() {
        output.settle(true);
      },

      get stats() {
        const { chunks, chars } = output.counts;
        return {
          chunks, chars, ...stats, droppedForBudget: budget.dropped,
          tokens: Math.floor(budget.tokens), queued: queue.length, walking: walker.walking, pendingRecords: batcher.pendingRecords,
        };
      },
    };
  }

  globalThis.eSafePageText = Object.freeze({
    createPageText, createBudget, createSeenLines, createOutput, createWalker, createMutationBatcher,
    hashText, REVEALING_ATTRIBUTES, SKIP_TAGS, BLOCK_TAGS,
  });
})();
