// The parts of the page-text reader, each on its own (content/page-text-core.js): the budget, the
// seen lines, the output, the walker and the mutation batcher. page-text-core.test.js drives them
// wired together.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFakeDom } from '../test-support/fake-dom.js';
import { fakeClock, loadPageTextCore } from '../test-support/fakes.js';

const core = loadPageTextCore();

describe('page text part: budget', () => {
  it('pays for each line with its length and its line break, cuts the line that does not fit, refills by the minute', () => {
    const clock = fakeClock();
    const budget = core.createBudget({ now: clock.now, loadBudget: 10, refillPerMinute: 60_000 });
    budget.start();
    assert.equal(budget.spend('abcd'), 'abcd');
    assert.equal(budget.tokens, 5);
    assert.equal(budget.spend('efghijkl'), 'efgh', 'cut to what is left, less its line break');
    assert.equal(budget.dropped, 4);
    assert.ok(budget.empty);
    assert.equal(budget.spend('more'), null);
    clock.advance(3);
    budget.refill();
    assert.equal(budget.tokens, 3, 'a thousand a second');
    clock.advance(60_000);
    budget.refill();
    assert.equal(budget.tokens, 10, 'never above the load budget');
  });
});

describe('page text part: seen lines', () => {
  it('remembers hashes and forgets the oldest quarter when full', () => {
    const seen = core.createSeenLines({ max: 8 });
    for (let i = 0; i < 8; i++) {
      seen.add(i);
    }
    assert.ok(seen.has(0) && seen.has(7));
    seen.add(8);
    assert.equal(seen.size, 7);
    assert.ok(!seen.has(0) && !seen.has(1) && seen.has(2) && seen.has(8));
  });
});

describe('page text part: output', () => {
  function output(options = {}) {
    const clock = fakeClock(10_000);
    const sent = [];
    const budget = core.createBudget({ now: clock.now, loadBudget: 1_000_000, refillPerMinute: 1 });
    const out = core.createOutput({
      send: (text) => sent.push(text), now: clock.now, setTimer: clock.setTimer, budget, seen: core.createSeenLines(),
      stripEcho: (line) => line, chunkChars: 40, sendGapMs: 3000, ...options,
    });
    return { clock, sent, out };
  }

  it('joins pieces into lines (spaces collapsed), skips lines without letters and lines sent before', () => {
    const { sent, out } = output();
    out.append('Hello  ');
    out.append(' there');
    out.endLine();
    out.append('12:30');
    out.endLine();
    out.append('Hello there');
    out.endLine();
    out.append('new line');
    out.settle(true);
    assert.deepEqual(sent, ['Hello there\nnew line']);
  });

  it('sends chunks of at most chunkChars characters', () => {
    const { sent, out } = output();
    for (let i = 0; i < 6; i++) {
      out.append(`line number ${i} of the page`);
      out.endLine();
    }
    out.settle(true);
    assert.ok(sent.length >= 3 && sent.every((chunk) => chunk.length <= 40), JSON.stringify(sent));
    assert.equal(sent.join('\n').split('\n').length, 6);
  });

  it('keeps sends sendGapMs apart, but never past the due time of what it holds', () => {
    const { clock, sent, out } = output();
    out.append('first');
    out.settle();
    assert.equal(sent.length, 1);
    clock.advance(500);
    out.append('second');
    out.settle(false, clock.now() + 1000);
    clock.advance(999);
    assert.equal(sent.length, 1);
    clock.advance(1);
    assert.deepEqual(sent, ['first', 'second']);
    out.append('third');
    out.settle();
    clock.advance(2999);
    assert.equal(sent.length, 2, 'no due time: the gap');
    clock.advance(1);
    assert.equal(sent.length, 3);
  });

  it("leaves out what is left of a line that showed the pupil's own message", () => {
    const { sent, out } = output({ stripEcho: (line) => line.replace('i want to kill myself', '') });
    out.append('Me: i want to kill myself');
    out.endLine();
    out.append('Kim: are you ok, i was worried');
    out.settle(true);
    assert.deepEqual(sent, ['Kim: are you ok, i was worried']);
  });
});

describe('page text part: walker', () => {
  function walk(dom, root, item = 'first') {
    const pieces = [];
    const output = { lines: [], current: '', endsInSpace: true };
    const fakeOutput = {
      append(text) {
        output.current += text;
        output.endsInSpace = text.endsWith(' ');
        pieces.push(text);
      },
      endLine() {
        if (output.current.trim() !== '') {
          output.lines.push(output.current.trim());
        }
        output.current = '';
        output.endsInSpace = true;
      },
      noteEcho() {},
      get endsInSpace() {
        return output.endsInSpace;
      },
    };
    const walker = core.createWalker({
      output: fakeOutput, isRendered: dom.isRendered, showsText: dom.showsText,
      shadowRootOf: (el) => el.shadowRoot ?? null, onShadowRoot: () => {}, isEcho: () => false,
    });
    walker.startItem({ type: item, node: root });
    let steps = 0;
    while (walker.walking) {
      walker.step();
      steps += 1;
    }
    fakeOutput.endLine();
    return { lines: output.lines, steps, walker, fakeOutput };
  }

  it('reads rendered text a line per block, skipping hidden, editable and never-text elements', () => {
    const dom = createFakeDom();
    const { el } = dom;
    const hidden = el('p', 'hidden words');
    hidden.display = 'none';
    dom.body.append(
      el('h1', 'Title'),
      el('p', 'one ', el('b', 'two'), ' three'),
      hidden,
      el('div', { contenteditable: 'true' }, 'typed text'),
      el('script', 'code()'),
      el('p', { 'aria-hidden': 'true' }, 'aria hidden'));
    const { lines } = walk(dom, dom.body);
    assert.deepEqual(lines, ['Title', 'one two three']);
  });

  it('walks again a hidden element that an attribute change revealed, and not text it took before', () => {
    const dom = createFakeDom();
    const { el } = dom;
    const box = el('p', 'revealed later');
    box.display = 'none';
    dom.body.append(el('p', 'shown'), box);
    const first = walk(dom, dom.body);
    assert.deepEqual(first.lines, ['shown']);
    box.display = '';
    const revealed = first.walker.revealedBy(new Set([dom.body]));
    assert.equal(revealed.length, 1);
    assert.equal(revealed[0], box);
    first.walker.startItem({ type: 'root', node: revealed[0] });
    while (first.walker.walking) {
      first.walker.step();
    }
    assert.equal(first.walker.revealedBy(new Set([dom.body])).length, 0, 'forgotten as hidden once walked');
  });

  it('does one node a step, so a walk can stop between any two', () => {
    const dom = createFakeDom();
    const { el } = dom;
    for (let i = 0; i < 10; i++) {
      dom.body.append(el('p', `line ${i}`));
    }
    const { lines, steps } = walk(dom, dom.body);
    assert.equal(lines.length, 10);
    assert.ok(steps >= 30, `${steps} steps: enter, text, leave for each paragraph`);
  });
});

describe('page text part: mutation batcher', () => {
  it('is due 500 ms after a quiet start, and 1.5 s after the first record on a busy page', () => {
    const clock = fakeClock(0);
    const due = [];
    const b = core.createMutationBatcher({
      now: clock.now, setTimer: clock.setTimer, onDue: () => due.push(clock.now()), quietMs: 500, takeByMs: 1500, maxPendingRecords: 100,
    });
    b.add([{ type: 'childList' }]);
    clock.advance(500);
    assert.deepEqual(due, [500]);
    assert.equal(b.take().records.length, 1);
    // A change every 300 ms from 600 ms on: never quiet.
    clock.advance(100);
    for (let i = 0; i < 10 && due.length < 2; i++) {
      b.add([{ type: 'characterData' }]);
      clock.advance(300);
    }
    assert.equal(due[1], 600 + 1500);
    assert.equal(b.take().firstAt, 600);
  });

  it('turns too many records into an overflow (walk the page again) and reads no clock but for the first', () => {
    const clock = fakeClock(0);
    let reads = 0;
    const b = core.createMutationBatcher({
      now: () => { reads += 1; return clock.now(); }, setTimer: clock.setTimer, onDue: () => {}, quietMs: 500, takeByMs: 1500, maxPendingRecords: 3,
    });
    b.add([{}, {}]);
    b.add([{}]);
    assert.equal(reads, 1);
    b.add([{}, {}]);
    const batch = b.take();
    assert.equal(batch.overflow, true);
    assert.equal(batch.records.length, 0);
    assert.equal(batch.firstAt, 0);
    assert.equal(b.waiting, false);
  });
});
