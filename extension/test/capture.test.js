import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCaptureService, isRefusal, MAX_JPEG_CHARS, MIN_INTERVAL_MS, PATIENCE_MS, REASONS } from '../background/capture.js';
import { fakeClock, settle, silentLog } from '../test-support/fakes.js';

const PREFIX = 'data:image/jpeg;base64,';

function fakeTabs(clock, tabs = { 5: { id: 5, windowId: 9, active: true }, 6: { id: 6, windowId: 9, active: false } }) {
  const calls = [];
  const fake = {
    tabs,
    calls,
    // What captureVisibleTab returns for a quality; SHOT<n> by default.
    shot: null,
    async get(id) {
      if (!tabs[id]) {
        throw new Error(`No tab with id: ${id}.`);
      }
      return { ...tabs[id] };
    },
    async captureVisibleTab(windowId, options) {
      calls.push({ at: clock.now(), windowId, options });
      return fake.shot ? fake.shot(options.quality) : `${PREFIX}SHOT${calls.length}`;
    },
  };
  return fake;
}

function fakeWindows(states = { 9: 'normal' }) {
  return {
    states,
    async get(id) {
      if (!states[id]) {
        throw new Error(`No window with id: ${id}.`);
      }
      return { id, state: states[id] };
    },
  };
}

function service(clock, tabs, options = {}) {
  return createCaptureService({ tabs, windows: fakeWindows(), now: clock.now, sleep: clock.sleep, log: silentLog, ...options });
}

// Runs the fake clock until every promise in `pending` has settled; `during(ms)` is called as time passes.
async function drive(clock, pending, during = () => {}) {
  let done = false;
  const all = Promise.all(pending).finally(() => {
    done = true;
  });
  while (!done) {
    await settle();
    const [next] = clock.pending();
    if (next !== undefined) {
      clock.advance(next);
      during(clock.now());
    }
  }
  return all;
}

describe('capture', () => {
  it('replies with the JPEG of a visible tab at once, without the data URL prefix', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    const reply = await service(clock, tabs).handle({ type: 'capture', requestId: 'r1', tabId: 5 });
    assert.deepEqual(reply, { type: 'capture-reply', requestId: 'r1', jpeg: 'SHOT1' });
    assert.deepEqual(tabs.calls[0].options, { format: 'jpeg', quality: 70 });
    assert.equal(tabs.calls[0].windowId, 9);
    assert.equal(tabs.calls[0].at, 10_000);
  });

  it('waits for a hidden tab to be shown, and captures it then', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    const capture = service(clock, tabs);
    const pending = capture.handle({ requestId: 'r2', tabId: 6 });
    const [reply] = await drive(clock, [pending], (t) => {
      if (t >= 11_200 && !tabs.tabs[6].active) {
        tabs.tabs[5].active = false;
        tabs.tabs[6].active = true; // the pupil switches to it
        capture.poke(); // tabs.onActivated
      }
    });
    assert.deepEqual(reply, { type: 'capture-reply', requestId: 'r2', jpeg: 'SHOT1' });
    assert.ok(tabs.calls[0].at >= 11_200 && tabs.calls[0].at < 11_600, `captured at ${tabs.calls[0].at}`);
  });

  it('wakes at once when poked, not at the next poll', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    const capture = service(clock, tabs, { pollMs: 2000 });
    const pending = capture.handle({ requestId: 'r', tabId: 6 });
    await settle();
    clock.advance(300);
    tabs.tabs[6].active = true;
    capture.poke();
    const [reply] = await drive(clock, [pending]);
    assert.equal(reply.jpeg, 'SHOT1');
    assert.equal(tabs.calls[0].at, 10_300);
  });

  it('gives up on a tab that stays hidden after 4 s, saying why', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    const [reply] = await drive(clock, [service(clock, tabs).handle({ requestId: 'r3', tabId: 6 })]);
    assert.deepEqual(reply, { type: 'capture-reply', requestId: 'r3', error: REASONS.notVisible });
    assert.equal(reply.error, 'tab not visible');
    assert.equal(clock.now(), 10_000 + PATIENCE_MS);
    assert.equal(tabs.calls.length, 0);
  });

  it('answers a closed tab at once, and a tab closed while waiting when it goes', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    const capture = service(clock, tabs);
    assert.deepEqual(await capture.handle({ requestId: 'gone', tabId: 77 }), { type: 'capture-reply', requestId: 'gone', error: 'tab closed' });
    const pending = capture.handle({ requestId: 'r4', tabId: 6 });
    const [reply] = await drive(clock, [pending], (t) => {
      if (t >= 11_000) {
        delete tabs.tabs[6];
        capture.poke(); // tabs.onRemoved
      }
    });
    assert.deepEqual(reply, { type: 'capture-reply', requestId: 'r4', error: 'tab closed' });
    assert.ok(clock.now() < 11_600);
  });

  it('waits for a minimised window to be restored, and says so if it is not', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    const windows = fakeWindows({ 9: 'minimized' });
    const capture = service(clock, tabs, { windows });
    const [stillMinimised] = await drive(clock, [capture.handle({ requestId: 'm1', tabId: 5 })]);
    assert.deepEqual(stillMinimised, { type: 'capture-reply', requestId: 'm1', error: 'window minimised' });
    const pending = capture.handle({ requestId: 'm2', tabId: 5 });
    const [restored] = await drive(clock, [pending], (t) => {
      if (t >= 15_000) {
        windows.states[9] = 'normal';
      }
    });
    assert.equal(restored.jpeg, 'SHOT1');
  });

  it('turns a refused capture into the reason and Chrome\'s words', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    let calls = 0;
    tabs.captureVisibleTab = async () => {
      calls++;
      throw new Error('Cannot access contents of url "chrome://settings/".');
    };
    const reply = await service(clock, tabs).handle({ requestId: 'r5', tabId: 5 });
    assert.deepEqual(reply, { type: 'capture-reply', requestId: 'r5', error: 'capture refused by Chrome for this URL: Cannot access contents of url "chrome://settings/".' });
    assert.equal(calls, 1, 'a refusal is not asked again');
  });

  it('tries a capture that failed in passing again, in its turn, and replies with the image', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    const capture = tabs.captureVisibleTab;
    tabs.captureVisibleTab = async (windowId, options) => {
      const dataUrl = await capture(windowId, options);
      if (tabs.calls.length === 1) {
        throw new Error('Failed to capture tab: image readback failed');
      }
      return dataUrl;
    };
    const [reply] = await drive(clock, [service(clock, tabs).handle({ requestId: 'r7', tabId: 5 })]);
    assert.deepEqual(reply, { type: 'capture-reply', requestId: 'r7', jpeg: 'SHOT2' });
    assert.equal(tabs.calls.length, 2);
    assert.ok(tabs.calls[1].at - tabs.calls[0].at >= MIN_INTERVAL_MS, 'the second try is spaced like any call');
  });

  it('says what went wrong, in Chrome\'s words and not as a refusal, when every try within the patience failed', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    tabs.captureVisibleTab = async (windowId, options) => {
      tabs.calls.push({ at: clock.now(), windowId, options });
      throw new Error('Failed to capture tab: image readback failed');
    };
    const [reply] = await drive(clock, [service(clock, tabs).handle({ requestId: 'r8', tabId: 5 })]);
    assert.deepEqual(reply, { type: 'capture-reply', requestId: 'r8', error: 'capture failed: Failed to capture tab: image readback failed' });
    const times = tabs.calls.map((c) => c.at);
    assert.ok(times.length >= 2, `tried ${times.length} times`);
    assert.ok(times.at(-1) <= 10_000 + PATIENCE_MS, 'the last try is within the patience');
    assert.ok(clock.now() <= 10_000 + PATIENCE_MS, 'and so is the reply');
    for (let i = 1; i < times.length; i++) {
      assert.ok(times[i] - times[i - 1] >= MIN_INTERVAL_MS, `gap ${times[i] - times[i - 1]}`);
    }
  });

  it('tells Chrome\'s refusals from failures that may pass', () => {
    for (const refusal of [
      'Cannot access contents of url "chrome://settings/".',
      'Missing host permission for the tab',
      'Taking screenshots has been disabled',
      'Administrator policy disables screen capture when confidential content is visible',
    ]) {
      assert.equal(isRefusal(refusal), true, refusal);
    }
    for (const passing of [
      'Failed to capture tab: image readback failed',
      'Failed to capture tab: view is invisible',
      'Failed to capture tab: internal error',
      'Cannot access contents of url "". Extension manifest must request permission to access this host.',
    ]) {
      assert.equal(isRefusal(passing), false, passing);
    }
  });

  it('answers malformed requests without capturing', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    const capture = service(clock, tabs);
    assert.equal((await capture.handle({ tabId: 5 })).type, 'error');
    assert.equal((await capture.handle({ requestId: 'x'.repeat(129), tabId: 5 })).type, 'error');
    assert.deepEqual(await capture.handle({ requestId: 'r6', tabId: 'five' }), { type: 'capture-reply', requestId: 'r6', error: 'tabId is not a tab ID' });
    assert.equal(tabs.calls.length, 0);
  });

  it('spaces captures at least 550 ms apart (2 a second), queueing and answering every request', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    const capture = service(clock, tabs);
    const requests = Array.from({ length: 7 }, (_, i) => capture.handle({ requestId: `q${i}`, tabId: 5 }));
    const replies = await drive(clock, requests);
    assert.deepEqual(replies.map((r) => r.requestId), ['q0', 'q1', 'q2', 'q3', 'q4', 'q5', 'q6']);
    assert.ok(replies.every((r) => typeof r.jpeg === 'string'));
    const times = tabs.calls.map((c) => c.at);
    assert.equal(times.length, 7);
    for (let i = 1; i < times.length; i++) {
      assert.ok(times[i] - times[i - 1] >= MIN_INTERVAL_MS, `gap ${times[i] - times[i - 1]}`);
    }
    for (const start of times) {
      assert.ok(times.filter((t) => t >= start && t < start + 1000).length <= 2);
    }
  });

  it('does not hold a visible tab\'s request behind one waiting for a hidden tab', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    const capture = service(clock, tabs);
    const hidden = capture.handle({ requestId: 'hidden', tabId: 6 });
    const visible = capture.handle({ requestId: 'visible', tabId: 5 });
    const [h, v] = await drive(clock, [hidden, visible]);
    assert.equal(v.jpeg, 'SHOT1');
    assert.equal(tabs.calls[0].at, 10_000);
    assert.equal(h.error, 'tab not visible');
  });

  it('checks again after waiting its turn that the tab is still the visible one, and waits again', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    const capture = service(clock, tabs);
    const first = capture.handle({ requestId: 'a', tabId: 5 });
    const second = capture.handle({ requestId: 'b', tabId: 5 });
    await first;
    await settle();
    tabs.tabs[5].active = false; // the pupil switched tabs while the request waited
    const [reply] = await drive(clock, [second], (t) => {
      if (t >= 12_000) {
        tabs.tabs[5].active = true; // and back
      }
    });
    assert.equal(reply.jpeg, 'SHOT2');
    assert.ok(tabs.calls[1].at >= 12_000);
  });

  it('makes a too-large JPEG smaller: quality 50, then 30, then half size', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    const big = `${PREFIX}${'A'.repeat(MAX_JPEG_CHARS + 10)}`;
    tabs.shot = () => big;
    const asked = [];
    const sizes = { '50x1': MAX_JPEG_CHARS + 5, '30x1': MAX_JPEG_CHARS + 1, '30x0.5': 1000 };
    const reencode = async (dataUrl, quality, scale) => {
      asked.push(`${quality}x${scale}`);
      return `${PREFIX}${'B'.repeat(sizes[`${quality}x${scale}`])}`;
    };
    const reply = await service(clock, tabs, { reencode }).handle({ requestId: 'big', tabId: 5 });
    assert.deepEqual(asked, ['50x1', '30x1', '30x0.5']);
    assert.equal(reply.jpeg.length, 1000);
    assert.equal(tabs.calls.length, 1, 'captured once');
  });

  it('stops at the first size that fits, and says so when none does', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    tabs.shot = () => `${PREFIX}${'A'.repeat(MAX_JPEG_CHARS + 10)}`;
    const asked = [];
    const fits = await service(clock, tabs, { reencode: async (d, q, s) => (asked.push(q), `${PREFIX}small`) }).handle({ requestId: 'a', tabId: 5 });
    assert.equal(fits.jpeg, 'small');
    assert.deepEqual(asked, [50]);
    const never = await service(clock, tabs, { reencode: async () => { throw new Error('no canvas'); } }).handle({ requestId: 'b', tabId: 5 });
    assert.deepEqual(never, { type: 'capture-reply', requestId: 'b', error: 'screenshot too large' });
  });

  it('without a re-encoder captures again at lower quality, still spaced 550 ms apart', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    tabs.shot = (quality) => `${PREFIX}${'A'.repeat(quality > 30 ? MAX_JPEG_CHARS + 1 : 500)}`;
    const [reply] = await drive(clock, [service(clock, tabs).handle({ requestId: 'r', tabId: 5 })]);
    assert.equal(reply.jpeg.length, 500);
    assert.deepEqual(tabs.calls.map((c) => c.options.quality), [70, 50, 30]);
    assert.deepEqual(tabs.calls.map((c) => c.at), [10_000, 10_550, 11_100]);
  });
});
