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
    assert.deepEqual(clock.pending(), []);
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
    assert.deepEqual(clock.pending(), []);
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
