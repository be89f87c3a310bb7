import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCaptureService, MIN_INTERVAL_MS } from '../background/capture.js';
import { fakeClock, settle } from '../test-support/fakes.js';

function fakeTabs(clock, tabs = { 5: { id: 5, windowId: 9, active: true }, 6: { id: 6, windowId: 9, active: false } }) {
  const calls = [];
  return {
    tabs,
    calls,
    async get(id) {
      if (!tabs[id]) {
        throw new Error(`No tab with id: ${id}.`);
      }
      return { ...tabs[id] };
    },
    async captureVisibleTab(windowId, options) {
      calls.push({ at: clock.now(), windowId, options });
      return `data:image/jpeg;base64,SHOT${calls.length}`;
    },
  };
}

function service(clock, tabs) {
  return createCaptureService({ tabs, now: clock.now, sleep: clock.sleep });
}

// Runs the fake clock until every promise in `pending` has settled.
async function drive(clock, pending) {
  let done = false;
  const all = Promise.all(pending).finally(() => {
    done = true;
  });
  while (!done) {
    await settle();
    const [next] = clock.pending();
    if (next !== undefined) {
      clock.advance(next);
    }
  }
  return all;
}

describe('capture', () => {
  it('replies with the JPEG of a visible tab, without the data URL prefix', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    const reply = await service(clock, tabs).handle({ type: 'capture', requestId: 'r1', tabId: 5 });
    assert.deepEqual(reply, { type: 'capture-reply', requestId: 'r1', jpeg: 'SHOT1' });
    assert.deepEqual(tabs.calls[0].options, { format: 'jpeg', quality: 70 });
    assert.equal(tabs.calls[0].windowId, 9);
  });

  it("says so when the tab is not its window's active tab, or is gone", async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    const capture = service(clock, tabs);
    assert.deepEqual(await capture.handle({ requestId: 'r2', tabId: 6 }), { type: 'capture-reply', requestId: 'r2', error: 'tab not visible' });
    assert.deepEqual(await capture.handle({ requestId: 'r3', tabId: 77 }), { type: 'capture-reply', requestId: 'r3', error: 'No tab with id: 77.' });
    assert.equal(tabs.calls.length, 0);
  });

  it('turns a refused capture into error text', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    tabs.captureVisibleTab = async () => {
      throw new Error('Cannot access contents of url "chrome://settings/".');
    };
    const reply = await service(clock, tabs).handle({ requestId: 'r4', tabId: 5 });
    assert.deepEqual(reply, { type: 'capture-reply', requestId: 'r4', error: 'Cannot access contents of url "chrome://settings/".' });
  });

  it('answers malformed requests without capturing', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    const capture = service(clock, tabs);
    assert.equal((await capture.handle({ tabId: 5 })).type, 'error');
    assert.deepEqual(await capture.handle({ requestId: 'r5', tabId: 'five' }), { type: 'capture-reply', requestId: 'r5', error: 'tabId is not a tab ID' });
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
    // Never more than 2 in any second.
    for (const start of times) {
      assert.ok(times.filter((t) => t >= start && t < start + 1000).length <= 2);
    }
  });

  it('does not wait after a capture long ago, nor for a hidden tab', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    const capture = service(clock, tabs);
    await capture.handle({ requestId: 'a', tabId: 5 });
    assert.deepEqual(await capture.handle({ requestId: 'b', tabId: 6 }), { type: 'capture-reply', requestId: 'b', error: 'tab not visible' });
    clock.advance(600);
    await capture.handle({ requestId: 'c', tabId: 5 });
    assert.deepEqual(tabs.calls.map((c) => c.at), [10_000, 10_600]);
  });

  it('checks again after waiting that the tab is still the visible one', async () => {
    const clock = fakeClock(10_000);
    const tabs = fakeTabs(clock);
    const capture = service(clock, tabs);
    const first = capture.handle({ requestId: 'a', tabId: 5 });
    const second = capture.handle({ requestId: 'b', tabId: 5 });
    await first;
    await settle();
    tabs.tabs[5].active = false; // the pupil switched tabs while the request waited
    const [reply] = await drive(clock, [second]);
    assert.deepEqual(reply, { type: 'capture-reply', requestId: 'b', error: 'tab not visible' });
    assert.equal(tabs.calls.length, 1);
  });
});
