// content/relay-core.js: a message the worker dropped (it was stopping) or could not keep is sent
// again, a bounded number of times; a dead extension context stops it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeClock, loadRelayCore, settle } from '../test-support/fakes.js';

const { createRelay, RETRY_DELAYS_MS, MAX_WAITING } = loadRelayCore();

// A worker that answers each attempt from a script: 'drop' (rejects, as when it was stopping),
// 'fail' ({ok: false}), 'ok' ({ok: true}); past the script it keeps everything.
function worker(script = []) {
  const received = [];
  const answers = [...script];
  return {
    received,
    sendMessage(message) {
      received.push(message);
      const answer = answers.shift() ?? 'ok';
      return answer === 'drop'
        ? Promise.reject(new Error('Could not establish connection. Receiving end does not exist.'))
        : Promise.resolve({ ok: answer === 'ok' });
    },
  };
}

describe('relay', () => {
  it('sends once when the worker keeps it', async () => {
    const clock = fakeClock();
    const w = worker(['ok']);
    const relay = createRelay({ sendMessage: w.sendMessage, setTimer: clock.setTimer });
    relay.send({ type: 'typed', text: 'hello' });
    await settle();
    clock.advance(10_000);
    await settle();
    assert.equal(w.received.length, 1);
    assert.equal(relay.stats.retried, 0);
  });

  it('sends again after 0.25 s when the worker was stopping and dropped it', async () => {
    const clock = fakeClock();
    const w = worker(['drop', 'ok']);
    const relay = createRelay({ sendMessage: w.sendMessage, setTimer: clock.setTimer });
    relay.send({ type: 'typed', text: 'hello' });
    await settle();
    assert.equal(w.received.length, 1);
    clock.advance(RETRY_DELAYS_MS[0] - 1);
    await settle();
    assert.equal(w.received.length, 1);
    clock.advance(1);
    await settle();
    assert.deepEqual(w.received.map((m) => m.text), ['hello', 'hello']);
    assert.deepEqual({ ...relay.stats }, { sent: 1, retried: 1, lost: 0, waiting: 0 });
  });

  it('sends again when the worker says it could not keep it', async () => {
    const clock = fakeClock();
    const w = worker(['fail', 'ok']);
    const relay = createRelay({ sendMessage: w.sendMessage, setTimer: clock.setTimer });
    relay.send({ type: 'page', text: 'page words' });
    await settle();
    clock.advance(RETRY_DELAYS_MS[0]);
    await settle();
    assert.equal(w.received.length, 2);
  });

  it('gives up after the last delay: bounded tries', async () => {
    const clock = fakeClock();
    const w = worker(Array(10).fill('drop'));
    const relay = createRelay({ sendMessage: w.sendMessage, setTimer: clock.setTimer });
    relay.send({ type: 'typed', text: 'hello' });
    for (let i = 0; i < 10; i++) {
      await settle();
      clock.advance(5000);
    }
    await settle();
    assert.equal(w.received.length, 1 + RETRY_DELAYS_MS.length);
    assert.equal(relay.stats.lost, 1);
  });

  it('holds at most MAX_WAITING messages for a retry at once', async () => {
    const clock = fakeClock();
    const w = worker(Array(MAX_WAITING + 10).fill('drop'));
    const relay = createRelay({ sendMessage: w.sendMessage, setTimer: clock.setTimer });
    for (let i = 0; i < MAX_WAITING + 10; i++) {
      relay.send({ type: 'page', text: `chunk ${i}` });
    }
    await settle();
    assert.equal(relay.stats.waiting, MAX_WAITING);
    assert.equal(relay.stats.lost, 10);
    assert.equal(clock.pending().length, MAX_WAITING);
  });

  it('stops for good when the extension context is gone (sendMessage throws)', async () => {
    const clock = fakeClock();
    let calls = 0;
    let goneCalls = 0;
    const relay = createRelay({
      sendMessage: () => {
        calls += 1;
        throw new Error('Extension context invalidated.');
      },
      setTimer: clock.setTimer,
      onGone: () => { goneCalls += 1; },
    });
    relay.send({ type: 'typed', text: 'a' });
    relay.send({ type: 'typed', text: 'b' });
    clock.advance(10_000);
    await settle();
    assert.equal(calls, 1);
    assert.equal(goneCalls, 1);
    assert.equal(relay.gone, true);
  });
});
