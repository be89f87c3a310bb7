// The page-text walker on a fake DOM and a fake clock: what counts as rendered text, time slicing,
// caps, chunking, and never sending the same text twice.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFakeDom } from '../test-support/fake-dom.js';
import { fakeClock, loadCaptureCore, loadPageTextCore } from '../test-support/fakes.js';

const core = loadPageTextCore();

// A reader on `dom`. Every visibility check costs `costMs` of (fake) time, so slicing can be seen.
function setup(dom, options = {}, { costMs = 0 } = {}) {
  const clock = fakeClock(1000);
  let spent = 0;
  const sent = [];
  const slices = [];
  let sliceStart = null;
  const now = () => clock.now() + spent;
  const reader = core.createPageText({
    send: (text) => sent.push(text),
    now,
    setTimer: clock.setTimer,
    idle: (fn) => clock.setTimer(() => {
      sliceStart = now();
      fn();
      slices.push(now() - sliceStart);
    }, 1),
    isRendered: (el) => {
      spent += costMs;
      return dom.isRendered(el);
    },
    showsText: (el) => {
      spent += costMs;
      return dom.showsText(el);
    },
    body: () => dom.body,
    ...options,
  });
  // Runs everything due within `ms` of fake time.
  const run = (ms = 60_000) => clock.advance(ms);
  // Hands the DOM's mutation records to the reader, as the observer's callback would.
  const observe = () => {
    const records = dom.takeRecords();
    if (records.length > 0) {
      reader.mutations(records);
    }
  };
  const lines = () => sent.join('\n').split('\n');
  return { clock, reader, sent, slices, run, observe, lines };
}

function page(dom, ...children) {
  dom.body.append(...children);
  dom.takeRecords(); // the page as loaded: no mutations yet
}

describe('page text: what is read', () => {
  it('sends rendered text, a line per block, inline elements joined', () => {
    const dom = createFakeDom();
    const { el } = dom;
    page(dom,
      el('h1', 'Year 9 chat'),
      el('p', 'I want to ', el('b', 'hurt'), ' someone   today'),
      el('ul', el('li', 'first item'), el('li', 'second', el('br'), 'line')),
      el('div', 'a', el('span', 'b'), 'c'));
    const { reader, run, sent, lines } = setup(dom);
    reader.kick();
    run();
    assert.equal(sent.length, 1);
    assert.deepEqual(lines(), ['Year 9 chat', 'I want to hurt someone today', 'first item', 'second', 'line', 'abc']);
  });

  it('leaves out script, style, noscript, template, head, form fields and frames', () => {
    const dom = createFakeDom();
    const { el } = dom;
    dom.html.children.unshift(el('head', el('title', 'title text'), el('style', 'p{color:red}')));
    dom.html.children[0].parentNode = dom.html;
    page(dom,
      el('script', 'var secret = "x"'),
      el('style', '.a{}'),
      el('noscript', 'enable javascript'),
      el('template', el('p', 'template text')),
      el('textarea', 'typed default'),
      el('select', el('option', 'an option')),
      el('iframe', 'frame fallback'),
      el('p', 'visible words'));
    const { reader, run, lines } = setup(dom);
    reader.kick();
    run();
    assert.deepEqual(lines(), ['visible words']);
  });

  it('leaves out hidden, aria-hidden, display:none, visibility:hidden and editable text', () => {
    const dom = createFakeDom();
    const { el } = dom;
    const editable = el('div', { contenteditable: 'true' }, 'what the pupil is typing');
    const inherited = el('div', el('p', 'inside an editor'));
    inherited.children[0].isContentEditable = true;
    page(dom,
      el('div', { hidden: '' }, 'hidden attribute'),
      el('div', { 'aria-hidden': 'true' }, 'aria hidden'),
      el('div', { style: 'display:none' }, el('p', 'display none')),
      el('div', { style: 'visibility:hidden' }, 'visibility hidden'),
      el('div', { contenteditable: 'false' }, 'not editable'),
      editable,
      inherited,
      el('p', 'shown'));
    const { reader, run, lines } = setup(dom);
    reader.kick();
    run();
    assert.deepEqual(lines(), ['not editable', 'shown']);
  });

  it('reads open shadow roots and asks about each new shadow root once', () => {
    const dom = createFakeDom();
    const { el } = dom;
    const host = el('chat-message', 'light text');
    host.attachShadow().append(el('p', 'shadow text'));
    dom.takeRecords();
    page(dom, host);
    const roots = [];
    const { reader, run, lines } = setup(dom, { onShadowRoot: (r) => roots.push(r) });
    reader.kick();
    run();
    assert.deepEqual(lines(), ['shadow text', 'light text']);
    assert.deepEqual(roots, [host.shadowRoot]);
  });

  it('drops lines with no letters (clocks, counters) and lines the pupil typed here (a chat echo)', () => {
    const dom = createFakeDom();
    const { el } = dom;
    page(dom, el('p', '10:42'), el('p', '· 3 ·'), el('p', 'Me: ', el('span', 'honestly i just want to hurt myself')), el('p', 'hello there'));
    const typed = 'Honestly I just want to hurt myself';
    const isEcho = (t) => typed.toLowerCase().includes(t.replace(/\s+/g, ' ').trim().toLowerCase());
    const { reader, run, lines } = setup(dom, { isEcho, stripEcho: (line) => (isEcho(line) ? '' : line) });
    reader.kick();
    run();
    assert.deepEqual(lines(), ['hello there']);
  });

  it('does nothing while the page cannot run (hidden tab, prerendering), then reads it on kick', () => {
    const dom = createFakeDom();
    page(dom, dom.el('p', 'background tab'));
    let visible = false;
    const { reader, run, sent } = setup(dom, { canRun: () => visible });
    reader.kick();
    run();
    assert.equal(sent.length, 0);
    dom.body.append(dom.el('p', 'arrived while hidden'));
    reader.mutations(dom.takeRecords());
    run();
    assert.equal(sent.length, 0);
    visible = true;
    reader.kick();
    run();
    assert.deepEqual(sent.join('\n').split('\n'), ['background tab', 'arrived while hidden']);
  });
});

describe('page text: never the same text twice', () => {
  it('takes the pupil\'s own message out of a chat line that shows it ("Me: <message>")', () => {
    const dom = createFakeDom();
    const { el } = dom;
    page(dom, el('p', 'Me: see you at the park later'), el('p', 'Sam: see you at the park later and after that the cinema'), el('p', 'unrelated'));
    let now = 0;
    const recent = loadCaptureCore().createRecentTexts({ now: () => now });
    recent.add('See you at the park later');
    const { reader, run, lines } = setup(dom, { isEcho: (t) => recent.contains(t), stripEcho: (t) => recent.strip(t) });
    reader.kick();
    run();
    assert.deepEqual(lines(), ['Sam: and after that the cinema', 'unrelated'], 'what is left of an echo is sent only when it says something');
  });

  it('sends only what is new when the page adds content', () => {
    const dom = createFakeDom();
    const { el } = dom;
    const log = el('div', el('p', 'first message'));
    page(dom, el('h1', 'Chat'), log);
    const { reader, run, observe, sent } = setup(dom);
    reader.kick();
    run();
    assert.deepEqual(sent, ['Chat\nfirst message']);
    log.append(el('p', 'second message'), el('p', 'third message'));
    observe();
    run();
    assert.deepEqual(sent.slice(1), ['second message\nthird message']);
    // Nothing changed: nothing sent.
    observe();
    run();
    assert.equal(sent.length, 2);
  });

  it('does not resend text a framework re-rendered as new nodes, nor nodes added twice', () => {
    const dom = createFakeDom();
    const { el } = dom;
    const list = el('div', el('p', 'message one'), el('p', 'message two'));
    page(dom, list);
    const { reader, run, observe, sent } = setup(dom);
    reader.kick();
    run();
    // Re-render: the same text in new elements, and an old node moved.
    const moved = list.children[0];
    list.remove(moved);
    list.append(el('p', 'message two'), moved, el('p', 'message three'));
    observe();
    run();
    assert.deepEqual(sent, ['message one\nmessage two', 'message three']);
  });

  it('sends a growing text node (a streamed reply) as its new end with a little of what came before', () => {
    const dom = createFakeDom();
    const { el } = dom;
    const reply = dom.text('The answer starts here and');
    page(dom, el('p', reply));
    const { reader, run, observe, sent } = setup(dom);
    reader.kick();
    run();
    reply.nodeValue = 'The answer starts here and then goes on for a while';
    observe();
    run();
    assert.equal(sent[0], 'The answer starts here and');
    assert.equal(sent[1], 'The answer starts here and then goes on for a while'.slice(0), 'short: all of it is the overlap');
    const long = `${'word '.repeat(30)}and the end`;
    reply.nodeValue = `The answer starts here and then goes on for a while ${long}`;
    observe();
    run();
    assert.ok(sent[2].endsWith('and the end'));
    assert.ok(sent[2].length < 40 + long.length + 2, sent[2]);
    assert.ok(!sent[2].startsWith('The answer'), 'the start is not sent again');
    // Set to the same text: nothing.
    reply.nodeValue = reply.value;
    observe();
    run();
    assert.equal(sent.length, 3);
  });

  it('sends text revealed by an attribute change once, and never hidden text before', () => {
    const dom = createFakeDom();
    const { el } = dom;
    const menu = el('div', { style: 'display:none' }, el('p', 'menu entry'));
    const panel = el('section', el('div', { hidden: '' }, 'hidden panel'));
    page(dom, el('p', 'main'), menu, panel);
    const { reader, run, observe, sent } = setup(dom);
    reader.kick();
    run();
    assert.deepEqual(sent, ['main']);
    menu.setStyle({ display: 'block' });
    panel.children[0].removeAttribute('hidden');
    observe();
    run();
    assert.deepEqual(sent.slice(1), ['menu entry\nhidden panel']);
    menu.setStyle({ display: 'none' });
    menu.setStyle({ display: 'block' });
    observe();
    run();
    assert.equal(sent.length, 2);
  });

  it('skips additions inside editable regions, hidden parts and skipped tags', () => {
    const dom = createFakeDom();
    const { el } = dom;
    const editor = el('div', { contenteditable: 'true' }, el('p', 'draft'));
    const hiddenBox = el('div', { style: 'display:none' });
    const script = el('script');
    page(dom, el('p', 'page'), editor, hiddenBox, script);
    const { reader, run, observe, sent } = setup(dom);
    reader.kick();
    run();
    editor.children[0].append(' more typing');
    editor.append(el('p', 'new paragraph typed'));
    hiddenBox.append(el('p', 'hidden addition'));
    script.append('var x = "y"');
    observe();
    run();
    assert.deepEqual(sent, ['page']);
  });

  it('walks the page again instead of keeping a flood of records, still sending nothing twice', () => {
    const dom = createFakeDom();
    const { el } = dom;
    page(dom, el('p', 'start'));
    const { reader, run, observe, sent } = setup(dom, { maxPendingRecords: 50 });
    reader.kick();
    run();
    for (let i = 0; i < 200; i++) {
      dom.body.append(el('p', `line ${i} text`));
    }
    observe();
    assert.equal(reader.stats.pendingRecords, 0);
    run();
    const all = sent.join('\n').split('\n');
    assert.equal(all.length, 201);
    assert.equal(new Set(all).size, 201);
  });

  it('survives the node it stopped at being removed between slices', () => {
    const dom = createFakeDom();
    const { el } = dom;
    const items = Array.from({ length: 300 }, (_, i) => el('p', `paragraph number ${i}`));
    page(dom, ...items);
    const { reader, clock, run, sent } = setup(dom, {}, { costMs: 0.1 });
    reader.kick();
    clock.advance(1); // one slice
    assert.ok(reader.stats.walking);
    for (const item of items.slice(0, 150)) {
      dom.body.remove(item);
    }
    run();
    const all = sent.join('\n').split('\n');
    assert.equal(new Set(all).size, all.length, 'no line twice');
    assert.ok(all.includes('paragraph number 299'));
  });
});

describe('page text: cost', () => {
  it('walks a big page in slices of about 3 ms, yielding in between', () => {
    const dom = createFakeDom();
    const { el } = dom;
    for (let i = 0; i < 2000; i++) {
      dom.body.append(el('div', el('p', `Paragraph ${i} with `, el('a', 'a link'), ' and more words')));
    }
    dom.takeRecords();
    const { reader, run, slices, sent } = setup(dom, {}, { costMs: 0.02 });
    reader.kick();
    run();
    assert.ok(slices.length > 10, `${slices.length} slices`);
    // A slice stops at the first step past 3 ms; a step here costs at most 2 visibility checks.
    assert.ok(Math.max(...slices) <= 3 + 0.04 + 1e-9, `longest ${Math.max(...slices)} ms`);
    assert.equal(sent.join('\n').split('\n').length, 2000);
  });

  it('keeps to the idle time the browser offers when it is less than 3 ms', () => {
    const dom = createFakeDom();
    for (let i = 0; i < 500; i++) {
      dom.body.append(dom.el('p', `paragraph ${i}`));
    }
    dom.takeRecords();
    const clock = fakeClock(0);
    let spent = 0;
    const slices = [];
    const reader = core.createPageText({
      send: () => {},
      now: () => clock.now() + spent,
      setTimer: clock.setTimer,
      idle: (fn) => clock.setTimer(() => {
        const start = spent;
        fn(1.5); // the browser has 1.5 ms before its next frame
        slices.push(spent - start);
      }, 1),
      isRendered: () => {
        spent += 0.05;
        return true;
      },
      body: () => dom.body,
    });
    reader.kick();
    clock.advance(10_000);
    assert.ok(slices.length > 10);
    assert.ok(Math.max(...slices) <= 1.5 + 0.05 + 1e-9, `longest ${Math.max(...slices)}`);
  });

  it('handles a huge text node in steps, not in one go', () => {
    const dom = createFakeDom();
    const { el } = dom;
    const big = Array.from({ length: 20_000 }, (_, i) => `word${i}`).join(' '); // about 170 K characters
    page(dom, el('pre', big));
    const { reader, run, sent } = setup(dom);
    reader.kick();
    run();
    assert.ok(sent.length >= 10, `${sent.length} chunks`);
    assert.ok(sent.join(' ').replace(/\s+/g, ' ') === big, 'all of it, words whole');
    assert.ok(sent.every((chunk) => chunk.length <= 16 * 1024));
    assert.ok(reader.stats.slices >= 1);
  });

  it('waits for the page to be quiet 500 ms, but sends a change within 2 s of it however busy the page', () => {
    const dom = createFakeDom();
    const { el } = dom;
    page(dom, el('p', 'start'));
    const { reader, clock, observe, sent } = setup(dom, { sendGapMs: 0 });
    reader.kick();
    clock.advance(100);
    assert.equal(sent.length, 1);
    // One addition every 300 ms: never quiet for 500 ms, so the records are taken 1.5 s after the first
    // change (500 ms before the 2 s bound, for the idle slice and the walk).
    for (let i = 0; i < 5; i++) {
      dom.body.append(el('p', `message ${i}`));
      observe();
      clock.advance(300);
    }
    assert.equal(sent.length, 1, 'not yet: still busy');
    clock.advance(10); // 1.51 s after the first change
    assert.equal(sent.length, 2);
    assert.match(sent[1], /^message 0\n/);
    // Then quiet: 500 ms after the last change.
    dom.body.append(el('p', 'later message'));
    observe();
    clock.advance(499);
    assert.equal(reader.stats.pendingRecords, 1);
    clock.advance(10_000);
    assert.match(sent.at(-1), /later message$/);
  });

  it('lets the gap between sends push no change past 2 s on a page that never goes quiet', () => {
    const dom = createFakeDom();
    const { el } = dom;
    page(dom, el('p', 'start'));
    const { reader, clock, observe, sent } = setup(dom, { sendGapMs: 3000 });
    reader.kick();
    clock.advance(100);
    const clockText = el('span', 'clock 0');
    dom.body.append(el('h1', clockText));
    observe();
    const appeared = new Map();
    const sentAt = new Map();
    // A clock ticking every 300 ms for 15 s, and a new chat line every 2.7 s.
    for (let t = 0; t < 15_000; t += 100) {
      if (t % 300 === 0) {
        clockText.firstChild.nodeValue = `clock ${t}`;
        observe();
      }
      if (t % 2700 === 1000 && t < 12_000) {
        const line = `chat line at ${t}`;
        dom.body.append(el('p', line));
        observe();
        appeared.set(line, clock.now());
      }
      clock.advance(100);
      for (const line of appeared.keys()) {
        if (!sentAt.has(line) && sent.some((chunk) => chunk.includes(line))) {
          sentAt.set(line, clock.now());
        }
      }
    }
    assert.equal(sentAt.size, appeared.size);
    for (const [line, at] of sentAt) {
      assert.ok(at - appeared.get(line) <= 2000, `${line}: sent ${at - appeared.get(line)} ms after it appeared`);
    }
  });

  it('reads no clock in the mutation callback but for a batch\'s first records (it runs on every keystroke in an editor)', () => {
    const dom = createFakeDom();
    const { el } = dom;
    page(dom, el('p', 'start'));
    const clock = fakeClock(1000);
    let reads = 0;
    const reader = core.createPageText({
      send: () => {},
      now: () => { reads += 1; return clock.now(); },
      setTimer: clock.setTimer,
      body: () => dom.body,
    });
    reader.kick();
    clock.advance(100);
    let inCallback = 0;
    for (let i = 0; i < 50; i++) {
      dom.body.append(el('p', `message ${i}`));
      const before = reads;
      reader.mutations(dom.takeRecords());
      inCallback += reads - before;
      clock.advance(10);
    }
    assert.equal(inCallback, 1, 'the batch\'s first records only');
  });

  it('spaces sends of later text at least 3 s apart, collecting what comes meanwhile', () => {
    const dom = createFakeDom();
    const { el } = dom;
    page(dom, el('p', 'start'));
    const { reader, clock, observe, sent } = setup(dom);
    reader.kick();
    clock.advance(10);
    dom.body.append(el('p', 'one'));
    observe();
    clock.advance(600);
    dom.body.append(el('p', 'two'));
    observe();
    clock.advance(600);
    assert.equal(sent.length, 1);
    clock.advance(3000);
    assert.deepEqual(sent, ['start', 'one\ntwo']);
  });
});

describe('page text: caps and chunks', () => {
  it('sends at most 256 K characters of a page load, in chunks of at most 16 K that keep lines whole', () => {
    const dom = createFakeDom();
    const { el } = dom;
    for (let i = 0; i < 6000; i++) {
      dom.body.append(el('p', `line ${i} `.padEnd(60, 'x')));
    }
    dom.takeRecords();
    const { reader, run, sent } = setup(dom);
    reader.kick();
    run();
    const total = sent.reduce((sum, c) => sum + c.length, 0);
    assert.ok(total <= 256 * 1024, `total ${total}`);
    assert.ok(total > 250 * 1024, `total ${total}`);
    assert.ok(sent.every((c) => c.length <= 16 * 1024));
    for (const c of sent) {
      for (const l of c.split('\n')) {
        assert.match(l, /^line \d+ x+$/, 'a whole line');
      }
    }
    assert.equal(reader.stats.walking, false, 'the rest of the first walk is dropped, not trickled');
  });

  it('caps text added later at the refill rate (64 K a minute)', () => {
    const dom = createFakeDom();
    const { el } = dom;
    page(dom, el('p', 'start'));
    const { reader, clock, observe, sent } = setup(dom, { loadBudget: 10_000, refillPerMinute: 6_000 });
    reader.kick();
    clock.advance(10);
    // 40 K characters appear at once.
    for (let i = 0; i < 400; i++) {
      dom.body.append(el('p', `message ${i} `.padEnd(100, 'y')));
    }
    observe();
    clock.advance(5_000);
    const early = sent.slice(1).reduce((sum, c) => sum + c.length, 0);
    assert.ok(early <= 10_000 + 200, `early ${early}`);
    clock.advance(60_000);
    const later = sent.slice(1).reduce((sum, c) => sum + c.length, 0);
    assert.ok(later > early, 'more once the budget refills');
    assert.ok(later <= 10_000 + 6_000 * 1.1 + 400, `later ${later}`);
  });

  it('hashes long strings from their ends, consistently', () => {
    const a = 'a'.repeat(10_000);
    assert.equal(core.hashText(a), core.hashText('a'.repeat(10_000)));
    assert.notEqual(core.hashText(a), core.hashText(`${a}b`));
    assert.notEqual(core.hashText('kill'), core.hashText('kilL'));
    assert.ok(Number.isSafeInteger(core.hashText('x')));
  });
});
