import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOST_NAME, createNativeTransport } from '../background/native-transport.js';
import { fakeClock, fakeNativeRuntime, settle, silentLog } from '../test-support/fakes.js';

const hello = { type: 'hello', protocol: 1, extensionVersion: '0.1.0', account: 'pupil@school.example' };

function setup({ hostPresent = true, backlog = [] } = {}) {
  const runtime = fakeNativeRuntime({ hostPresent });
  const clock = fakeClock(1_000_000);
  const states = [];
  const received = [];
  const transport = createNativeTransport({
    runtime,
    makeHello: async () => hello,
    onOpen: async () => {
      for (const event of backlog) {
        transport.send({ type: 'text', event });
      }
    },
    onMessage: (m) => received.push(m),
    onState: (s) => states.push(s),
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    now: clock.now,
    log: silentLog,
  });
  return { runtime, clock, states, received, transport };
}

describe('native transport', () => {
  it('says hello first on connect, then resends the backlog', async () => {
    const backlog = [{ eventId: 'a' }, { eventId: 'b' }];
    const { runtime, states, transport } = setup({ backlog });
    transport.connect();
    await settle();
    assert.equal(runtime.ports.length, 1);
    assert.equal(runtime.ports[0].name, HOST_NAME);
    assert.deepEqual(runtime.ports[0].sent, [hello, { type: 'text', event: { eventId: 'a' } }, { type: 'text', event: { eventId: 'b' } }]);
    assert.deepEqual(states.map((s) => s.state), ['connecting', 'open']);
    assert.equal(transport.isOpen(), true);
  });

  it('hands on what the host sends', async () => {
    const { runtime, received, transport } = setup();
    transport.connect();
    await settle();
    runtime.ports[0].reply({ type: 'ack', eventId: 'a', incidents: 0 });
    assert.deepEqual(received, [{ type: 'ack', eventId: 'a', incidents: 0 }]);
  });

  it('does not send before hello or without a port', async () => {
    const { runtime, transport } = setup();
    assert.equal(transport.send({ type: 'text' }), false);
    transport.connect();
    assert.equal(transport.send({ type: 'text' }), false); // hello not sent yet
    await settle();
    assert.equal(transport.send({ type: 'text' }), true);
    runtime.ports[0].hostExits();
    assert.equal(transport.send({ type: 'text' }), false);
  });

  it("records Chrome's reason when the host is missing, and backs off 1 s → 60 s", async () => {
    const { runtime, clock, states, transport } = setup({ hostPresent: false });
    transport.connect();
    await settle();
    assert.deepEqual(states.at(-1), { state: 'disconnected', detail: 'Specified native messaging host not found.' });
    const delays = [];
    for (let i = 0; i < 9; i++) {
      const [delay] = clock.pending();
      delays.push(delay);
      clock.advance(delay);
      await settle();
    }
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    assert.equal(runtime.ports.length, 10);
    assert.deepEqual(clock.pending(), [60000], 'one reconnect pending at a time');
  });

  it('backs off again from 1 s after a connection that lasted', async () => {
    const { runtime, clock, transport } = setup();
    transport.connect();
    await settle();
    runtime.ports[0].hostExits(); // a crash right away: back-off grows
    assert.deepEqual(clock.pending(), [1000]);
    clock.advance(1000);
    await settle();
    runtime.ports[1].hostExits();
    assert.deepEqual(clock.pending(), [2000]);
    clock.advance(2000);
    await settle();
    clock.advance(120_000); // healthy for two minutes
    runtime.ports[2].hostExits();
    assert.deepEqual(clock.pending(), [1000]);
  });

  it('connects once however often it is asked, and connect cuts a back-off short', async () => {
    const { runtime, clock, transport } = setup();
    transport.connect();
    transport.connect();
    await settle();
    assert.equal(runtime.ports.length, 1);
    runtime.ports[0].hostExits();
    assert.deepEqual(clock.pending(), [1000]);
    transport.connect();
    assert.equal(runtime.ports.length, 2);
    assert.deepEqual(clock.pending(), []);
  });

  it('reconnect drops the port and says hello again on a new one', async () => {
    const { runtime, transport } = setup();
    transport.connect();
    await settle();
    transport.reconnect();
    await settle();
    assert.equal(runtime.ports.length, 2);
    assert.equal(runtime.ports[0].connected, false);
    assert.deepEqual(runtime.ports[1].sent, [hello]);
  });

  it('ignores messages and disconnects of a port it dropped', async () => {
    const { runtime, clock, received, transport } = setup();
    transport.connect();
    await settle();
    transport.reconnect();
    await settle();
    runtime.ports[0].reply({ type: 'ack', eventId: 'old' });
    runtime.ports[0].hostExits();
    assert.deepEqual(received, []);
    assert.deepEqual(clock.pending(), []);
    assert.equal(transport.isOpen(), true);
  });

  it('stays closed after close', async () => {
    const { runtime, clock, transport } = setup({ hostPresent: false });
    transport.connect();
    await settle();
    transport.close();
    assert.deepEqual(clock.pending(), []);
    transport.connect();
    assert.equal(runtime.ports.length, 1);
  });

  it('records a connectNative that throws and retries', () => {
    const { runtime, clock, states, transport } = setup();
    runtime.connectNative = () => {
      throw new Error('Access to the specified native messaging host is forbidden.');
    };
    transport.connect();
    assert.deepEqual(states.at(-1), { state: 'disconnected', detail: 'Access to the specified native messaging host is forbidden.' });
    assert.deepEqual(clock.pending(), [1000]);
  });
});
