// content/typing.js wired to a fake document: capture-phase listeners, shadow roots, and the
// message it sends. (The real browser run is in the integrator's end-to-end tests.)
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import { fakeClock, readExtensionFile, settle } from '../test-support/fakes.js';

function loadPage() {
  const clock = fakeClock();
  const listeners = {};
  const sent = [];
  const on = (target) => (type, fn, capture) => {
    listeners[`${target}:${type}`] = { fn, capture };
  };
  // The observers the script makes, with what each watches, so a test can hand them records.
  const observers = [];
  class MutationObserver {
    constructor(callback) {
      this.callback = callback;
    }

    observe(target, options) {
      observers.push({ observer: this, target, options });
    }
  }
  const document = { title: 'Page title', addEventListener: on('document') };
  const context = vm.createContext({
    document,
    MutationObserver,
    addEventListener: on('window'),
    location: { href: 'https://site.example/form' },
    chrome: { runtime: { sendMessage: async (m) => sent.push(m) } },
    crypto: webcrypto,
    Date,
    performance: { now: clock.now },
    setTimeout: clock.setTimer,
    clearTimeout: clock.clearTimer,
  });
  vm.runInContext(readExtensionFile('content/relay-core.js'), context);
  vm.runInContext(readExtensionFile('content/capture-core.js'), context);
  vm.runInContext(readExtensionFile('content/typing.js'), context);
  const fire = (key, event) => listeners[key].fn({ composedPath: () => [event.target], ...event });
  return { clock, listeners, sent, fire, context, observers, document };
}

const textarea = () => ({ localName: 'textarea', value: '', getAttribute: () => null });

describe('typing.js', () => {
  it('listens on the window in the capture phase, the first place events reach', () => {
    const { listeners } = loadPage();
    for (const type of ['input', 'paste', 'drop', 'cut', 'compositionend', 'keydown', 'focusout', 'pointerdown', 'submit', 'pagehide']) {
      assert.equal(listeners[`window:${type}`]?.capture, true, type);
    }
  });

  it('sends {type, fieldId, text, url, title} after a pause', async () => {
    const { clock, sent, fire } = loadPage();
    const field = textarea();
    field.value = 'typed words';
    fire('window:input', { target: field });
    clock.advance(1000);
    await settle();
    assert.equal(sent.length, 1);
    assert.deepEqual(Object.keys(sent[0]).sort(), ['fieldId', 'text', 'title', 'type', 'url']);
    assert.equal(sent[0].type, 'typed');
    assert.equal(sent[0].text, 'typed words');
    assert.equal(sent[0].url, 'https://site.example/form');
    assert.equal(sent[0].title, 'Page title');
  });

  it('uses the element inside an open shadow root, not the retargeted host', async () => {
    const { clock, sent, listeners } = loadPage();
    const inner = textarea();
    inner.value = 'in the shadow';
    const host = { localName: 'my-widget', getAttribute: () => null };
    listeners['window:input'].fn({ target: host, composedPath: () => [inner, host] });
    clock.advance(1000);
    await settle();
    assert.deepEqual(sent.map((m) => m.text), ['in the shadow']);
  });

  it('flushes on Enter (not while composing), on focusout and on submit', async () => {
    const { sent, fire } = loadPage();
    const a = textarea();
    a.value = 'first';
    fire('window:input', { target: a });
    fire('window:keydown', { target: a, key: 'Enter', isComposing: true });
    await settle();
    assert.equal(sent.length, 0);
    fire('window:keydown', { target: a, key: 'Enter', isComposing: false });
    await settle();
    a.value = 'first second';
    fire('window:input', { target: a });
    fire('window:focusout', { target: a });
    await settle();
    a.value = 'first second third';
    fire('window:input', { target: a });
    fire('window:submit', { target: {} });
    await settle();
    assert.deepEqual(sent.map((m) => m.text), ['first', 'first second', 'first second third']);
  });

  it('survives an extension that was reloaded under it', () => {
    const { clock, fire, context } = loadPage();
    context.chrome.runtime.sendMessage = () => {
      throw new Error('Extension context invalidated.');
    };
    const a = textarea();
    a.value = 'x';
    fire('window:input', { target: a });
    assert.doesNotThrow(() => clock.advance(1000));
  });

  it('waits for compositionend while an IME composes', async () => {
    const { clock, sent, fire } = loadPage();
    const a = textarea();
    a.value = 'ni';
    fire('window:input', { target: a, isComposing: true });
    clock.advance(5000);
    await settle();
    assert.equal(sent.length, 0, 'mid-composition input is ignored');
    a.value = '你好';
    fire('window:compositionend', { target: a });
    clock.advance(1000);
    await settle();
    assert.deepEqual(sent.map((m) => m.text), ['你好']);
  });

  it('reads a field on pointerdown, before a send button can clear it', async () => {
    const { sent, fire } = loadPage();
    const a = textarea();
    a.value = 'message for the class';
    fire('window:input', { target: a });
    fire('window:pointerdown', { target: {} });
    a.value = ''; // the app clears the box on click
    await settle();
    assert.deepEqual(sent.map((m) => m.text), ['message for the class']);
  });

  it('finds the editable root of a rich-text editor from a nested node', async () => {
    const { clock, sent, fire } = loadPage();
    const editable = (el) => el.getAttribute('contenteditable') !== null;
    const closest = (el) => () => {
      for (let e = el; e; e = e.parentElement) {
        if (editable(e)) {
          return e;
        }
      }
      return null;
    };
    const main = { localName: 'main', getAttribute: () => null, parentElement: null };
    main.closest = closest(main);
    const root = { localName: 'div', innerText: 'whole editor text', getAttribute: (n) => (n === 'contenteditable' ? 'true' : null), parentElement: main };
    root.closest = closest(root);
    const paragraph = { localName: 'p', parentElement: root, getAttribute: () => null };
    paragraph.closest = closest(paragraph);
    fire('window:input', { target: paragraph });
    clock.advance(1000);
    await settle();
    assert.deepEqual(sent.map((m) => m.text), ['whole editor text']);
  });

  it('sends new messages in a box the chat app clears under a new generation of its field ID', async () => {
    const { clock, sent, fire } = loadPage();
    const box = textarea();
    for (const text of ['see you at lunch', 'see you at lunch']) {
      box.value = text; // pasted
      fire('window:input', { target: box });
      fire('window:keydown', { target: box, key: 'Enter' });
      box.value = ''; // cleared by the app after sending
      clock.advance(1000);
    }
    await settle();
    assert.equal(sent.length, 2, 'the same words sent again as a new message');
    assert.match(sent[0].fieldId, /^[0-9a-f]{12}-\d+$/);
    assert.equal(sent[1].fieldId, `${sent[0].fieldId}#1`);
  });
  it('sends what an editor pasted itself, with no input event after the paste', async () => {
    const { clock, sent, fire } = loadPage();
    const editor = { localName: 'div', innerText: '', getAttribute: (n) => (n === 'contenteditable' ? 'true' : null), shadowRoot: null };
    editor.closest = () => editor;
    fire('window:paste', { target: editor });
    editor.innerText = 'pasted through the editor'; // the editor cancels the paste and inserts it itself
    clock.advance(1000);
    await settle();
    assert.deepEqual(sent.map((m) => m.text), ['pasted through the editor']);
  });

  it('notes a field on drop, cut and an undo or redo key, which editors may handle themselves', async () => {
    for (const [key, event] of [['window:drop', {}], ['window:cut', {}], ['window:keydown', { key: 'z', ctrlKey: true }], ['window:keydown', { key: 'Y', metaKey: true }]]) {
      const { clock, sent, fire } = loadPage();
      const a = textarea();
      fire(key, { target: a, ...event });
      a.value = 'changed by the editor';
      clock.advance(1000);
      await settle();
      assert.deepEqual(sent.map((m) => m.text), ['changed by the editor'], `${key} ${JSON.stringify(event)}`);
    }
  });

  it('passes the input type on, so a deletion that empties the box starts a new message', async () => {
    const { clock, sent, fire } = loadPage();
    const box = textarea();
    box.value = 'hello there';
    fire('window:input', { target: box, inputType: 'insertText' });
    fire('window:keydown', { target: box, key: 'Enter' });
    box.value = 'hello there and more';
    fire('window:input', { target: box, inputType: 'insertText' });
    box.value = '';
    fire('window:input', { target: box, inputType: 'deleteContentBackward' });
    box.value = 'hello there';
    fire('window:input', { target: box, inputType: 'insertFromPaste' });
    fire('window:keydown', { target: box, key: 'Enter' });
    clock.advance(1000);
    await settle();
    assert.deepEqual(sent.map((m) => m.text), ['hello there', 'hello there']);
    assert.equal(sent[1].fieldId, `${sent[0].fieldId}#1`);
  });

  it('takes an ordinary target as it is, without building the event path', async () => {
    const { clock, sent, listeners } = loadPage();
    const a = { ...textarea(), shadowRoot: null, value: 'plain' };
    listeners['window:input'].fn({ target: a, composedPath: () => assert.fail('composedPath read for a plain target') });
    clock.advance(1000);
    await settle();
    assert.deepEqual(sent.map((m) => m.text), ['plain']);
  });

  it('listens again once document.open has replaced the document and erased every listener', async () => {
    const { clock, sent, listeners, observers, document } = loadPage();
    assert.equal(observers.length, 1);
    const [{ observer, target, options }] = observers;
    assert.equal(target, document);
    assert.deepEqual({ ...options }, { childList: true }, "the document's own children only, never its subtree");

    // document.open: the listeners go, the old root element is removed, the written one is added.
    const kept = { ...listeners };
    for (const key of Object.keys(listeners)) {
      delete listeners[key];
    }
    observer.callback([{ addedNodes: [], removedNodes: [{}] }]);
    assert.equal(listeners['window:input'], undefined, 'nothing to listen to until the new root is there');
    observer.callback([{ addedNodes: [{ localName: 'html' }], removedNodes: [] }]);

    assert.deepEqual(Object.keys(listeners).sort(), Object.keys(kept).sort());
    for (const key of Object.keys(kept)) {
      assert.equal(listeners[key].fn, kept[key].fn, `${key}: the same function, so a listener still there is not added twice`);
      assert.equal(listeners[key].capture, true, key);
    }
    const field = textarea();
    field.value = 'typed in the written frame';
    listeners['window:input'].fn({ target: field, composedPath: () => [field] });
    clock.advance(1000);
    await settle();
    assert.deepEqual(sent.map((m) => m.text), ['typed in the written frame']);
  });
});
