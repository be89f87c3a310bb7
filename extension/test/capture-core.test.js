import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeClock, loadCaptureCore } from '../test-support/fakes.js';

const core = loadCaptureCore();

// Just enough of a DOM element for the capture logic.
function input(type, attrs = {}) {
  return { localName: 'input', type: type ?? 'text', value: '', getAttribute: (n) => attrs[n] ?? null };
}
function textarea(attrs = {}) {
  return { localName: 'textarea', value: '', getAttribute: (n) => attrs[n] ?? null };
}
function editable(attrs = {}) {
  return { localName: 'div', isContentEditable: true, innerText: '', getAttribute: (n) => attrs[n] ?? null };
}

let pages = 0; // each tracker is a page with its own random prefix

function tracker(clock, options = {}) {
  const sent = [];
  const t = core.createTracker({
    send: (m) => sent.push(m),
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    now: clock.now,
    random: (bytes) => bytes.fill(++pages),
    ...options,
  });
  return { t, sent };
}

describe('which fields count', () => {
  it('takes text-like inputs, textareas and contenteditable', () => {
    for (const type of ['text', 'search', 'email', 'url', 'tel']) {
      assert.equal(core.fieldKind(input(type)), 'value', type);
    }
    assert.equal(core.fieldKind(input(undefined)), 'value', 'no type');
    assert.equal(core.fieldKind(textarea()), 'value');
    assert.equal(core.fieldKind(editable()), 'editable');
  });

  it('never takes password, card or one-time-code fields', () => {
    assert.equal(core.fieldKind(input('password')), null);
    assert.equal(core.fieldKind(input('text', { autocomplete: 'cc-number' })), null);
    assert.equal(core.fieldKind(input('text', { autocomplete: 'section-pay billing CC-CSC' })), null);
    assert.equal(core.fieldKind(input('tel', { autocomplete: 'cc-exp' })), null);
    assert.equal(core.fieldKind(input('text', { autocomplete: 'one-time-code' })), null);
    assert.equal(core.fieldKind(textarea({ autocomplete: 'one-time-code' })), null);
    assert.equal(core.fieldKind(editable({ autocomplete: 'cc-name' })), null);
    // A password shown in clear by a "show password" toggle.
    assert.equal(core.fieldKind(input('text', { autocomplete: 'current-password' })), null);
    assert.equal(core.fieldKind(input('text', { autocomplete: 'new-password' })), null);
  });

  it('ignores everything else', () => {
    for (const type of ['number', 'checkbox', 'hidden', 'file', 'date', 'range', 'submit']) {
      assert.equal(core.fieldKind(input(type)), null, type);
    }
    assert.equal(core.fieldKind({ localName: 'div', isContentEditable: false }), null);
    assert.equal(core.fieldKind({ localName: 'select' }), null);
    assert.equal(core.fieldKind(null), null);
    assert.equal(core.fieldKind(undefined), null);
  });

  it('reads value, or innerText for contenteditable', () => {
    assert.equal(core.readText({ value: 'abc' }, 'value'), 'abc');
    assert.equal(core.readText({ innerText: 'line 1\nline 2' }, 'editable'), 'line 1\nline 2');
    assert.equal(core.readText({ textContent: 'fallback' }, 'editable'), 'fallback');
  });
});

describe('text capping', () => {
  it('keeps short text as it is', () => {
    assert.equal(core.capText('hello'), 'hello');
    assert.equal(core.MAX_TEXT, 65536);
  });

  it('keeps the last 64 K characters', () => {
    const text = 'a'.repeat(10) + 'b'.repeat(65536);
    const capped = core.capText(text);
    assert.equal(capped.length, 65536);
    assert.equal(capped, 'b'.repeat(65536));
  });

  it('does not start on half a surrogate pair', () => {
    const capped = core.capText('x😀abc', 4); // the emoji is two UTF-16 units
    assert.equal(capped, 'abc');
    assert.equal(core.capText('x😀abc', 5), '😀abc');
  });
});

describe('debounce', () => {
  it('sends the full text after a 1 s pause, once', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const field = textarea();
    for (const text of ['h', 'he', 'hel', 'hell', 'hello']) {
      field.value = text;
      t.input(field);
      clock.advance(300);
    }
    assert.deepEqual(sent, []);
    clock.advance(700);
    assert.equal(sent.length, 1);
    assert.equal(sent[0].text, 'hello');
    clock.advance(5000);
    assert.equal(sent.length, 1);
  });

  it('re-arms the timer on every keystroke', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const field = input('text');
    field.value = 'a';
    t.input(field);
    clock.advance(999);
    field.value = 'ab';
    t.input(field);
    clock.advance(999);
    assert.equal(sent.length, 0);
    clock.advance(1);
    assert.deepEqual(sent.map((m) => m.text), ['ab']);
    assert.deepEqual(clock.pending(), [1000], 'only the look at the field a pause after sending');
  });

  it('flushes at once on Enter or blur, and not again at the pause', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const field = input('search');
    field.value = 'how to';
    t.input(field);
    t.flush(field);
    assert.deepEqual(sent.map((m) => m.text), ['how to']);
    clock.advance(2000);
    assert.equal(sent.length, 1);
  });

  it('ignores Enter or blur on a field not typed in since it was sent', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const field = input('text');
    field.value = 'pre-filled by the page';
    t.flush(field);
    assert.equal(sent.length, 0);
  });

  it('flushes every pending field on submit', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const a = input('text');
    const b = textarea();
    a.value = 'first';
    b.value = 'second';
    t.input(a);
    t.input(b);
    t.flushAll();
    assert.deepEqual(sent.map((m) => m.text).sort(), ['first', 'second']);
    assert.equal(t.pendingCount, 0);
    assert.deepEqual(clock.pending(), [1000], 'only the look at the field a pause after sending');
  });

  it('skips empty text and text identical to the last sent', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const field = textarea();
    field.value = '   \n';
    t.input(field);
    t.flush(field);
    field.value = 'same';
    t.input(field);
    t.flush(field);
    field.value = 'samex';
    t.input(field);
    field.value = 'same'; // typed and deleted again
    t.flush(field);
    assert.deepEqual(sent.map((m) => m.text), ['same']);
  });

  it('does not send a field that became a password field after typing', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const field = input('text');
    field.value = 'secret';
    t.input(field);
    field.type = 'password';
    clock.advance(1000);
    assert.equal(sent.length, 0);
  });

  it('does nothing for fields that do not count', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const field = input('password');
    field.value = 'hunter2';
    assert.equal(t.input(field), false);
    clock.advance(2000);
    t.flushAll();
    assert.equal(sent.length, 0);
    assert.deepEqual(clock.pending(), []);
  });

  it('sends contenteditable innerText, capped to the end', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock, { maxChars: 5 });
    const field = editable();
    field.innerText = 'abcdefgh';
    t.input(field);
    clock.advance(1000);
    assert.equal(sent[0].text, 'defgh');
  });
});

describe('field IDs', () => {
  it('are stable for an element and distinct between elements and pages', () => {
    const clock = fakeClock();
    const { t } = tracker(clock);
    const { t: other } = tracker(clock);
    const a = textarea();
    const b = textarea();
    assert.equal(t.fieldId(a), t.fieldId(a));
    assert.notEqual(t.fieldId(a), t.fieldId(b));
    assert.notEqual(t.fieldId(a), other.fieldId(a));
    assert.match(t.fieldId(a), /^[0-9a-f]{12}-\d+$/);
  });

  it('go with the text that is sent', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const field = textarea();
    field.value = 'one';
    t.input(field);
    t.flush(field);
    field.value = 'one two';
    t.input(field);
    t.flush(field);
    assert.equal(sent.length, 2);
    assert.equal(sent[0].fieldId, sent[1].fieldId);
    assert.equal(sent[0].fieldId, t.fieldId(field));
  });
});

// An element in a small tree: attributes, a parent, and closest() for '[contenteditable]'.
function node(localName, attrs = {}, parent = null, extra = {}) {
  const el = { localName, parentElement: parent, getAttribute: (n) => attrs[n] ?? null, ...extra };
  el.closest = (selector) => {
    assert.equal(selector, '[contenteditable]');
    for (let e = el; e; e = e.parentElement) {
      if (e.getAttribute('contenteditable') !== null) {
        return e;
      }
    }
    return null;
  };
  return el;
}

describe('editable roots', () => {
  it('is the outermost contenteditable element, from a nested element or text node', () => {
    const page = node('main');
    const root = node('div', { contenteditable: 'true' }, page);
    const p = node('p', {}, root);
    const text = { nodeType: 3, parentElement: p };
    assert.equal(core.fieldOf(p), root);
    assert.equal(core.fieldOf(text), root);
    assert.equal(core.fieldOf(root), root);
    const nested = node('div', { contenteditable: '' }, node('span', {}, root));
    assert.equal(core.fieldOf(nested), root, 'an editable inside an editable: one field');
    const island = node('figure', { contenteditable: 'false' }, root);
    const caption = node('figcaption', { contenteditable: 'true' }, island);
    assert.equal(core.fieldOf(caption), caption, 'an editable inside a non-editable island is its own field');
    const bold = node('b', {}, island);
    assert.equal(core.fieldOf(bold), bold, 'not editable: itself, and fieldKind says no');
    assert.equal(core.fieldKind(bold), null);
    const input = node('input', {}, root, { type: 'text' });
    assert.equal(core.fieldOf(input), input);
    assert.equal(core.fieldOf(null), null);
  });

  it('never reads isContentEditable (it would recalculate style) for fields with attributes', () => {
    const reads = [];
    const spy = (el) => Object.defineProperty(el, 'isContentEditable', { get: () => reads.push(el.localName) && true });
    const root = spy(node('div', { contenteditable: 'true' }));
    const p = spy(node('p', {}, root));
    assert.equal(core.fieldKind(core.fieldOf(p)), 'editable');
    const area = spy(node('textarea'));
    assert.equal(core.fieldKind(core.fieldOf(area)), 'value');
    assert.deepEqual(reads, []);
    // designMode documents have no attribute: the property is the fallback.
    const body = spy(node('body'));
    assert.equal(core.fieldKind(core.fieldOf(body)), 'editable');
    assert.deepEqual(reads, ['body']);
  });

  it('one editor is one field whichever paragraph the event starts on', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const root = node('div', { contenteditable: 'true' }, null, { innerText: 'para one\npara two' });
    const p1 = node('p', {}, root);
    const p2 = node('p', {}, root);
    t.input(p1);
    t.input(p2);
    assert.equal(t.pendingCount, 1);
    assert.equal(t.fieldId(p1), t.fieldId(root));
    clock.advance(1000);
    assert.deepEqual(sent.map((m) => m.text), ['para one\npara two']);
  });
});

describe('message generations', () => {
  // Types `text` one keystroke at a time (the field holds each prefix), then presses Enter.
  function type(t, field, text, { from = field.value } = {}) {
    for (let i = from.length + 1; i <= text.length; i++) {
      field.value = text.slice(0, i);
      t.input(field);
    }
    t.flush(field);
  }

  it('keeps the field ID while a draft is edited and re-sent', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const field = textarea();
    type(t, field, 'I want to');
    type(t, field, 'I want to hurt');
    field.value = 'I want to hurt him'; // pasted
    t.input(field);
    t.flush(field);
    field.value = 'I want to hurt'; // backspaces: still the same draft
    t.input(field);
    t.flush(field);
    assert.equal(new Set(sent.map((m) => m.fieldId)).size, 1);
    assert.equal(sent[0].fieldId, t.fieldId(field));
    assert.deepEqual(sent.map((m) => m.text), ['I want to', 'I want to hurt', 'I want to hurt him', 'I want to hurt']);
  });

  it('starts a new generation when a chat app clears the box after sending', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const box = input('text');
    type(t, box, 'you are such a loser');
    box.value = ''; // the app clears it: no input event
    type(t, box, 'you are such a loser', { from: '' }); // the same words as a new message
    box.value = '';
    type(t, box, 'ok', { from: '' });
    const base = t.fieldId(box);
    assert.deepEqual(sent.map((m) => m.fieldId), [base, `${base}#1`, `${base}#2`]);
    assert.equal(t.messageId(box), `${base}#2`);
  });

  it('a new message pasted into a box cleared after sending is a new generation too', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const box = textarea();
    box.value = 'same message';
    t.input(box);
    t.flush(box);
    box.value = ''; // cleared by the app
    clock.advance(1000); // the look a pause after sending sees it empty
    box.value = 'same message';
    t.input(box);
    t.flush(box);
    assert.deepEqual(sent.map((m) => m.fieldId), [t.fieldId(box), `${t.fieldId(box)}#1`]);
  });

  it('a field shrunk to under half of what was sent is a new message; a small edit is not', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const field = textarea();
    field.value = 'a long first message about the weekend';
    t.input(field);
    t.flush(field);
    field.value = 'a long first message about the'; // deleted a word
    t.input(field);
    t.flush(field);
    field.value = 'short'; // selected nearly all and typed over it
    t.input(field);
    t.flush(field);
    const base = t.fieldId(field);
    assert.deepEqual(sent.map((m) => m.fieldId), [base, base, `${base}#1`]);
  });

  it('emptied and left empty: the next text is a new message, found at the flush', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const field = editable();
    field.innerText = 'first note';
    field.textContent = 'first note';
    t.input(field);
    t.flush(field);
    field.innerText = '';
    field.textContent = '';
    t.input(field); // the pupil deletes everything: the first input after a send sees it
    field.innerText = 'first note';
    field.textContent = 'first note';
    t.input(field);
    clock.advance(1000);
    assert.deepEqual(sent.map((m) => m.fieldId), [t.fieldId(field), `${t.fieldId(field)}#1`]);
  });

  it('reads the field length at most once a message, not per keystroke', () => {
    const clock = fakeClock();
    const { t } = tracker(clock);
    let reads = 0;
    const field = { localName: 'textarea', getAttribute: () => null, text: 'x', get value() { reads += 1; return this.text; } };
    t.input(field);
    t.flush(field); // one read: the send
    for (let i = 0; i < 50; i++) {
      field.text += 'y';
      t.input(field); // the first reads once, the rest not at all
    }
    assert.equal(reads, 2);
  });
});

describe('message generations: the box is looked at whenever it may have been cleared', () => {
  function typeAndSend(t, field, text) {
    field.value = text;
    t.input(field, 'insertText');
    t.flush(field);
  }

  it('an edit that leaves the text as sent still lets the next message be seen as new', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const box = textarea();
    box.value = 'you are worthless';
    t.input(box, 'insertText');
    clock.advance(1000); // the pause sends it
    box.value = 'you are worthlesss';
    t.input(box, 'insertText'); // the first input after the send: looked at, not a new message
    box.value = 'you are worthless';
    t.input(box, 'deleteContentBackward');
    clock.advance(1000); // the pause finds the text as sent: nothing to send
    t.flush(box); // Enter: the chat sends the message and clears the box (no input event)
    box.value = '';
    box.value = 'y';
    t.input(box, 'insertText'); // typed before the look a pause after the flush
    box.value = 'you are worthless';
    t.input(box, 'insertText');
    t.flush(box);
    const base = t.fieldId(box);
    assert.deepEqual(sent.map((m) => [m.fieldId, m.text]), [[base, 'you are worthless'], [`${base}#1`, 'you are worthless']]);
  });

  it('the look a pause after a flush that found the text as sent sees a cleared box', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const box = textarea();
    typeAndSend(t, box, 'same words');
    box.value = 'same words!';
    t.input(box, 'insertText');
    box.value = 'same words';
    t.input(box, 'deleteContentBackward');
    t.flush(box); // unchanged: not sent again
    box.value = ''; // the app clears it
    clock.advance(1000);
    box.value = 'same words'; // pasted by a path with no look before it
    t.input(box, 'insertFromPaste');
    t.flush(box);
    assert.deepEqual(sent.map((m) => m.fieldId), [t.fieldId(box), `${t.fieldId(box)}#1`]);
  });

  it('a box emptied by a deletion after the first input is a new message', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const box = textarea();
    typeAndSend(t, box, 'first message here');
    box.value = 'first message here and more';
    t.input(box, 'insertText'); // the first input after the send: a continuation
    box.value = '';
    t.input(box, 'deleteContentBackward'); // select all, delete
    typeAndSend(t, box, 'first message here'); // the same words again, at once
    assert.deepEqual(sent.map((m) => m.fieldId), [t.fieldId(box), `${t.fieldId(box)}#1`]);
  });

  it('a deletion that leaves most of the draft keeps the generation', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const box = textarea();
    typeAndSend(t, box, 'a long first message about the weekend');
    box.value = 'a long first message about the weekend!';
    t.input(box, 'insertText');
    box.value = 'a long first message about the';
    t.input(box, 'deleteWordBackward');
    t.flush(box);
    assert.deepEqual(sent.map((m) => m.fieldId), [t.fieldId(box), t.fieldId(box)]);
  });

  it('beforeEdit notes a field with no input event after it (an editor that pastes itself)', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const field = editable();
    assert.equal(t.beforeEdit(field), true);
    field.innerText = 'pasted by the editor'; // inserted through the editor's own code
    clock.advance(1000);
    assert.deepEqual(sent.map((m) => m.text), ['pasted by the editor']);
    assert.equal(t.beforeEdit(input('password')), false, 'never a password field');
  });

  it('beforeEdit sees a box cleared since the send as it is before the paste lands', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const box = textarea();
    typeAndSend(t, box, 'see you at lunch');
    box.value = ''; // the chat clears it
    t.beforeEdit(box); // paste event: the box is still empty
    box.value = 'see you at lunch';
    t.input(box, 'insertFromPaste');
    t.flush(box);
    assert.deepEqual(sent.map((m) => m.fieldId), [t.fieldId(box), `${t.fieldId(box)}#1`]);
  });

  it('an edit that changes nothing between pauses is never sent twice', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const box = textarea();
    typeAndSend(t, box, 'one message');
    for (let i = 0; i < 3; i++) {
      box.value = 'one message ';
      t.input(box, 'insertText');
      box.value = 'one message';
      t.input(box, 'deleteContentBackward');
      clock.advance(2000);
    }
    assert.deepEqual(sent.map((m) => m.text), ['one message']);
  });
});

describe('the keystroke path', () => {
  it('reads nothing of a field already waiting for its pause: no attribute, no value', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    let reads = 0;
    const field = {
      localName: 'textarea',
      text: '',
      getAttribute: () => { reads += 1; return null; },
      get value() { reads += 1; return this.text; },
    };
    field.text = 'h';
    t.input(field, 'insertText');
    const afterFirst = reads;
    for (const ch of 'ello there') {
      field.text += ch;
      t.input(field, 'insertText');
    }
    assert.equal(reads, afterFirst, 'keystrokes after the first read nothing');
    clock.advance(1000);
    assert.deepEqual(sent.map((m) => m.text), ['hello there']);
  });

  it('still never sends a field that became a password field while it waited', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const field = input('text');
    field.value = 'not a secret yet';
    t.input(field, 'insertText');
    field.type = 'password';
    field.value = 'hunter2';
    t.input(field, 'insertText');
    clock.advance(1000);
    assert.deepEqual(sent, []);
  });
});

describe('the pause timer', () => {
  it('is set once while typing goes on, not cleared and set again per keystroke', () => {
    const clock = fakeClock();
    let sets = 0;
    let clears = 0;
    const { t, sent } = tracker(clock, {
      setTimer: (fn, ms) => { sets += 1; return clock.setTimer(fn, ms); },
      clearTimer: (id) => { clears += 1; clock.clearTimer(id); },
    });
    const field = textarea();
    for (let i = 1; i <= 20; i++) {
      field.value = 'x'.repeat(i);
      t.input(field, 'insertText');
      clock.advance(100); // 2 s of typing, a key every 100 ms
    }
    assert.equal(clears, 0);
    assert.ok(sets <= 3, `${sets} timers for 20 keystrokes`);
    assert.deepEqual(sent, []);
    clock.advance(900);
    assert.deepEqual(sent.map((m) => m.text), ['x'.repeat(20)], 'a full pause after the last keystroke');
  });
});

describe('recent typed text', () => {
  it('knows what was typed, case and spacing aside, for 10 minutes, within its bounds', () => {
    let now = 0;
    const recent = core.createRecentTexts({ now: () => now, maxEntries: 3, maxChars: 100 });
    assert.equal(recent.contains('anything'), false);
    recent.add('Honestly  I just\nwant to go home');
    assert.equal(recent.contains('i just want to'), true);
    assert.equal(recent.contains('want to go home now'), false);
    assert.equal(recent.contains('   '), false);
    recent.add('Honestly I just want to go home today'); // a longer draft replaces the shorter
    assert.equal(recent.size, 1);
    recent.add('two');
    recent.add('three');
    recent.add('four');
    assert.equal(recent.size, 3);
    assert.equal(recent.contains('go home'), false, 'the oldest went');
    now += 10 * 60 * 1000 + 1;
    assert.equal(recent.contains('four'), false, 'too old');
    recent.add('x'.repeat(500));
    assert.equal(recent.contains('xxx'), true, 'a long text keeps its end');
  });

  it('strips typed messages out of a line of page text, case kept', () => {
    const recent = core.createRecentTexts({ now: () => 0 });
    assert.equal(recent.strip('Anything at all'), 'Anything at all', 'nothing typed: unchanged');
    recent.add('see you at the park later');
    recent.add('ok');
    assert.equal(recent.strip('Me:  See you at the   park later'), 'Me: ');
    assert.equal(recent.strip('see you at'), '', 'all of it was typed');
    assert.equal(recent.strip('Look, OK then'), 'Look, OK then', 'short messages are not taken out of other text');
  });
});

describe('the key journal (editors that keep no text in the DOM)', () => {
  // A keydown the page may cancel after the extension saw it (its listener runs first).
  function key(t, field, k, { cancelled = true, input = null, at = 0 } = {}) {
    const event = { key: k, timeStamp: at, defaultPrevented: false, ctrlKey: false, metaKey: false, altKey: false };
    t.keyDown(field, event);
    event.defaultPrevented = cancelled;
    if (input) {
      t.input(field, input.inputType, at, input.data ?? null);
    }
  }

  it('sends what cancelled keys typed when the field stays blank (a terminal), Backspace and Enter applied', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const field = textarea();
    for (const k of ['l', 's', 'Enter', ...'i want to kill mysrl', 'Backspace', 'Backspace', ...'elf']) {
      key(t, field, k);
    }
    clock.advance(1000);
    assert.deepEqual(sent.map((m) => m.text), ['ls', 'ls\ni want to kill myself']);
    assert.equal(new Set(sent.map((m) => m.fieldId)).size, 1, 'one growing document, one field ID');
  });

  it('takes inserted text from input events when the page empties the field after each one (Docs)', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const body = editable({ contenteditable: 'true' });
    for (const ch of 'kill mysefl') {
      key(t, body, ch, { cancelled: false, input: { inputType: 'insertText', data: ch } });
    }
    key(t, body, 'Backspace');
    key(t, body, 'Backspace');
    key(t, body, 'l', { cancelled: false, input: { inputType: 'insertText', data: 'l' } });
    key(t, body, 'f', { cancelled: false, input: { inputType: 'insertText', data: 'f' } });
    clock.advance(1000);
    assert.deepEqual(sent.map((m) => m.text), ['kill myself']);
  });

  it('counts a key the browser applied itself (an input followed) once, and uses the field when it shows text', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const field = textarea();
    for (const ch of 'hello') {
      field.value += ch;
      key(t, field, ch, { cancelled: false, input: { inputType: 'insertText', data: ch } });
    }
    clock.advance(1000);
    assert.deepEqual(sent.map((m) => m.text), ['hello']);
    assert.equal(t.journalOf(field), '', 'a field that shows its text needs no journal');
  });

  it('still sees a chat box cleared after sending when its next message starts with a keydown', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    const box = textarea();
    const typeInto = (text) => {
      for (const ch of text) {
        box.value += ch;
        key(t, box, ch, { cancelled: false, input: { inputType: 'insertText', data: ch }, at: clock.now() });
      }
    };
    typeInto('go kill yourself');
    clock.advance(1000);
    key(t, box, 'Enter'); // the chat cancels Enter, posts the message and clears the box
    box.value = '';
    typeInto('go kill yourself');
    key(t, box, 'Enter');
    assert.deepEqual(sent.map((m) => m.text), ['go kill yourself', 'go kill yourself']);
    assert.notEqual(sent[0].fieldId, sent[1].fieldId, 'a new message');
  });

  it('forgets the journal when a deletion, cut or undo leaves the field blank (select all, Delete)', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    for (const inputType of ['deleteContentBackward', 'deleteByCut', 'historyUndo']) {
      const field = textarea();
      for (const ch of 'i want to kill myself now') {
        field.value += ch;
        key(t, field, ch, { cancelled: false, input: { inputType: 'insertText', data: ch } });
      }
      field.value = '';
      t.input(field, inputType, clock.now(), null);
      assert.equal(t.journalOf(field), '', inputType);
    }
    clock.advance(1000);
    assert.deepEqual(sent, []);
  });

  it('keeps no journal for password, card and one-time-code fields', () => {
    const clock = fakeClock();
    const { t, sent } = tracker(clock);
    for (const field of [input('password'), input('text', { autocomplete: 'cc-number' }), input('text', { autocomplete: 'one-time-code' })]) {
      for (const ch of 'kill myself') {
        key(t, field, ch);
        t.input(field, 'insertText', 0, ch);
      }
      assert.equal(t.journalOf(field), '');
    }
    clock.advance(1000);
    assert.deepEqual(sent, []);
  });

  it('ignores shortcuts and keys with Ctrl, Alt or Meta', () => {
    assert.equal(core.journalKey({ key: 'a', ctrlKey: true }), null);
    assert.equal(core.journalKey({ key: 'ArrowLeft' }), null);
    assert.equal(core.journalKey({ key: 'é' }), 'é');
    assert.equal(core.journalKey({ key: '😀' }), '😀');
    assert.equal(core.applyKey('ab😀', 'Backspace'), 'ab');
    assert.equal(core.applyInput('one two', 'deleteWordBackward', null), 'one ');
    assert.equal(core.applyInput('one', 'insertParagraph', null), 'one\n');
  });
});
