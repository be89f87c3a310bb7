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
  const context = vm.createContext({
    document: { title: 'Page title', addEventListener: on('document') },
    addEventListener: on('window'),
    location: { href: 'https://site.example/form' },
    chrome: { runtime: { sendMessage: async (m) => sent.push(m) } },
    crypto: webcrypto,
    setTimeout: clock.setTimer,
    clearTimeout: clock.clearTimer,
  });
  vm.runInContext(readExtensionFile('content/capture-core.js'), context);
  vm.runInContext(readExtensionFile('content/typing.js'), context);
  const fire = (key, event) => listeners[key].fn({ composedPath: () => [event.target], ...event });
  return { clock, listeners, sent, fire, context };
}

const textarea = () => ({ localName: 'textarea', value: '', getAttribute: () => null });

describe('typing.js', () => {
  it('listens on the document in the capture phase, and for pagehide', () => {
    const { listeners } = loadPage();
    for (const type of ['input', 'keydown', 'focusout', 'submit']) {
      assert.equal(listeners[`document:${type}`]?.capture, true, type);
    }
    assert.equal(listeners['window:pagehide']?.capture, true);
  });

  it('sends {type, fieldId, text, url, title} after a pause', async () => {
    const { clock, sent, fire } = loadPage();
    const field = textarea();
    field.value = 'typed words';
    fire('document:input', { target: field });
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
    listeners['document:input'].fn({ target: host, composedPath: () => [inner, host] });
    clock.advance(1000);
    await settle();
    assert.deepEqual(sent.map((m) => m.text), ['in the shadow']);
  });

  it('flushes on Enter (not while composing), on focusout and on submit', async () => {
    const { sent, fire } = loadPage();
    const a = textarea();
    a.value = 'first';
    fire('document:input', { target: a });
    fire('document:keydown', { target: a, key: 'Enter', isComposing: true });
    await settle();
    assert.equal(sent.length, 0);
    fire('document:keydown', { target: a, key: 'Enter', isComposing: false });
    await settle();
    a.value = 'first second';
    fire('document:input', { target: a });
    fire('document:focusout', { target: a });
    await settle();
    a.value = 'first second third';
    fire('document:input', { target: a });
    fire('document:submit', { target: {} });
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
    fire('document:input', { target: a });
    assert.doesNotThrow(() => clock.advance(1000));
  });
});
