// content/page-text.js wired to a fake document: when it starts, what it observes, the message it
// sends, and when it stays quiet. (The real browser run is in the integrator's end-to-end tests.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import { createFakeDom } from '../test-support/fake-dom.js';
import { fakeClock, readExtensionFile } from '../test-support/fakes.js';

function loadPage({ visibility = 'visible', width = 1200, readyState = 'loading' } = {}) {
  const clock = fakeClock(1000);
  const dom = createFakeDom();
  dom.body.append(dom.el('h1', 'Class chat'), dom.el('p', 'Write a message to your class.'));
  dom.takeRecords();
  const listeners = {};
  const on = (target) => (type, fn) => {
    (listeners[`${target}:${type}`] ??= []).push(fn);
  };
  const fire = (key) => (listeners[key] ?? []).forEach((fn) => fn({}));
  const sent = [];
  const observers = [];
  class MutationObserver {
    constructor(callback) {
      this.callback = callback;
      this.targets = [];
      this.connected = true;
      observers.push(this);
    }
    observe(target, options) {
      this.targets.push({ target, options });
    }
    disconnect() {
      this.connected = false;
    }
  }
  const document = {
    readyState,
    visibilityState: visibility,
    prerendering: false,
    designMode: 'off',
    title: 'Class chat',
    body: dom.body,
    documentElement: dom.html,
    addEventListener: on('document'),
  };
  const idleCalls = [];
  const context = vm.createContext({
    document,
    addEventListener: on('window'),
    location: { href: 'https://school.example/chat' },
    innerWidth: width,
    innerHeight: 800,
    MutationObserver,
    getComputedStyle: (el) => ({ display: el.display }),
    performance: { now: clock.now },
    setTimeout: clock.setTimer,
    clearTimeout: clock.clearTimer,
    requestIdleCallback: (fn, options) => {
      idleCalls.push(options);
      return clock.setTimer(() => fn({ didTimeout: false, timeRemaining: () => 50 }), 5);
    },
    chrome: { runtime: { sendMessage: async (m) => sent.push(m) } },
  });
  vm.runInContext(readExtensionFile('content/relay-core.js'), context);
  vm.runInContext(readExtensionFile('content/page-text-core.js'), context);
  vm.runInContext(readExtensionFile('content/page-text.js'), context);
  const mutate = () => {
    const records = dom.takeRecords();
    for (const o of observers) {
      if (o.connected && records.length > 0) {
        o.callback(records);
      }
    }
  };
  return { clock, dom, document, fire, sent, observers, idleCalls, mutate, context };
}

describe('page-text.js', () => {
  it('starts in an idle moment after the page has loaded, observing the whole document', () => {
    const { clock, document, fire, sent, observers, idleCalls } = loadPage();
    clock.advance(10_000);
    assert.equal(observers.length, 0, 'nothing while the document loads');
    fire('document:DOMContentLoaded');
    clock.advance(1000);
    assert.equal(observers.length, 0, 'parsed, but images and scripts still load');
    fire('window:load');
    assert.equal(observers.length, 0, 'not in the page\'s own load task');
    clock.advance(5);
    assert.equal(observers.length, 2, 'the page\'s changes, and the document\'s own children (document.open)');
    const [{ target, options }] = observers[0].targets;
    assert.deepEqual(observers[1].targets.map((t) => [t.target, JSON.stringify(t.options)]), [[document, '{"childList":true}']]);
    assert.equal(target, document);
    assert.deepEqual({ ...options, attributeFilter: [...options.attributeFilter] }, {
      childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['class', 'style', 'hidden', 'aria-hidden', 'open'],
    });
    assert.ok(idleCalls.every((o) => o.timeout === 1000));
    clock.advance(100);
    assert.deepEqual(JSON.parse(JSON.stringify(sent)), [{ type: 'page', text: 'Class chat\nWrite a message to your class.', url: 'https://school.example/chat', title: 'Class chat', chunk: 0 }]);
  });

  it('starts 5 s after the document is parsed when loading drags on', () => {
    const { clock, fire, observers } = loadPage();
    fire('document:DOMContentLoaded');
    clock.advance(4999);
    assert.equal(observers.length, 0);
    clock.advance(10);
    assert.equal(observers.length, 2);
    fire('window:load');
    clock.advance(10);
    assert.equal(observers.length, 2, 'once');
  });

  it('sends what appears later as the next chunk', () => {
    const { clock, dom, fire, sent, mutate } = loadPage();
    fire('document:DOMContentLoaded');
    fire('window:load');
    clock.advance(100);
    dom.body.append(dom.el('p', 'Sam: are you coming to the park'));
    mutate();
    clock.advance(4000);
    assert.deepEqual(sent.map((m) => [m.chunk, m.text]), [[0, 'Class chat\nWrite a message to your class.'], [1, 'Sam: are you coming to the park']]);
  });

  it('reads a background tab only when it is shown', () => {
    const { clock, document, fire, sent } = loadPage({ visibility: 'hidden', readyState: 'complete' });
    clock.advance(10_000);
    assert.equal(sent.length, 0);
    document.visibilityState = 'visible';
    fire('document:visibilitychange');
    clock.advance(100);
    assert.equal(sent.length, 1);
  });

  it('leaves tiny frames (tracking pixels) alone', () => {
    const { clock, sent, observers } = loadPage({ width: 1, readyState: 'complete' });
    clock.advance(10_000);
    assert.equal(observers.length, 0);
    assert.equal(sent.length, 0);
  });

  it('sends what is waiting at once when the page is hidden away', () => {
    const { clock, dom, fire, sent, mutate } = loadPage({ readyState: 'complete' });
    clock.advance(100);
    dom.body.append(dom.el('p', 'last words before leaving'));
    mutate();
    clock.advance(600); // read, but held back by the 3 s spacing of sends
    assert.equal(sent.length, 1);
    fire('window:pagehide');
    assert.deepEqual(sent.map((m) => m.text), ['Class chat\nWrite a message to your class.', 'last words before leaving']);
  });

  it('stops observing when the extension is gone', () => {
    const { clock, dom, sent, context, observers, mutate } = loadPage({ readyState: 'complete' });
    context.chrome.runtime.sendMessage = () => {
      throw new Error('Extension context invalidated.');
    };
    clock.advance(100);
    assert.equal(observers[0].connected, false);
    dom.body.append(dom.el('p', 'more'));
    mutate();
    clock.advance(10_000);
    assert.equal(sent.length, 0);
  });

  it('listens again when document.open replaced the document (which erased its listeners)', () => {
    const { clock, document, sent, observers, context, mutate, dom } = loadPage({ readyState: 'complete' });
    clock.advance(100);
    assert.equal(sent.length, 1);
    // document.open: every listener of the window and document gone, a new root element.
    const listeners = {};
    const on = (target) => (type, fn) => {
      (listeners[`${target}:${type}`] ??= []).push(fn);
    };
    document.addEventListener = on('document');
    context.addEventListener = on('window');
    observers[1].callback([{ type: 'childList', addedNodes: [{}] }]);
    assert.deepEqual(Object.keys(listeners).sort(), ['document:prerenderingchange', 'document:visibilitychange', 'window:pagehide', 'window:pageshow']);
    document.visibilityState = 'hidden';
    document.body.append(dom.el('p', 'written while hidden'));
    mutate();
    clock.advance(5000);
    assert.equal(sent.length, 1, 'not while hidden');
    document.visibilityState = 'visible';
    listeners['document:visibilitychange'].forEach((fn) => fn({}));
    clock.advance(5000);
    assert.ok(sent.some((m) => m.text.includes('written while hidden')), JSON.stringify(sent));
  });
});
