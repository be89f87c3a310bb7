import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseTransport, createModeTransport, isHostMissing, platformOs, readTransportState, TRANSPORT_KEY } from '../background/transport-mode.js';
import { fakeStorage, silentLog } from '../test-support/fakes.js';

// A transport that records what is asked of it; the test plays its states.
function fakeTransport(kind, hooks, made) {
  const transport = {
    kind,
    hooks,
    calls: [],
    open: false,
    sent: [],
    connect: () => transport.calls.push('connect'),
    reconnect: () => transport.calls.push('reconnect'),
    send: (message) => transport.open && transport.sent.push(message) > 0,
    isOpen: () => transport.open,
    close: () => transport.calls.push('close'),
  };
  made.push(transport);
  return transport;
}

function modeTransport(mode, os) {
  const made = [];
  const states = [];
  const choices = [];
  const messages = [];
  const transport = createModeTransport({
    mode,
    os,
    makeNative: (hooks) => fakeTransport('native', hooks, made),
    makeDirect: (hooks) => fakeTransport('direct', hooks, made),
    onState: (state) => states.push(state),
    onHostMessage: (message) => messages.push(message),
    onChoice: (choice) => choices.push(choice),
    log: silentLog,
  });
  return { transport, made, states, choices, messages, of: (kind) => made.filter((t) => t.kind === kind) };
}

const NOT_FOUND = 'Specified native messaging host not found.';

describe('transport mode', () => {
  it('chooses by mode and platform', () => {
    const table = [
      ['auto', 'cros', 'direct'], ['auto', 'win', 'native'], ['auto', 'mac', 'native'], ['auto', 'linux', 'native'], ['auto', null, 'native'],
      ['native', 'cros', 'native'], ['native', 'win', 'native'], ['direct', 'win', 'direct'], ['direct', 'cros', 'direct'],
    ];
    for (const [mode, os, expected] of table) {
      assert.equal(chooseTransport(mode, os), expected, `${mode} on ${os}`);
    }
  });

  it('counts only "not found" and "forbidden" as a missing host', () => {
    const table = [
      [NOT_FOUND, true],
      ['Access to the specified native messaging host is forbidden.', true],
      ['Native host has exited.', false],
      ['Error when communicating with the native messaging host.', false],
      ['the host closed the connection', false],
      [null, false],
    ];
    for (const [detail, missing] of table) {
      assert.equal(isHostMissing(detail), missing, String(detail));
    }
  });

  it('reads the OS from chrome.runtime, and null when it cannot', async () => {
    assert.equal(await platformOs({ getPlatformInfo: async () => ({ os: 'cros' }) }), 'cros');
    assert.equal(await platformOs({ getPlatformInfo: async () => { throw new Error('no'); } }), null);
    assert.equal(await platformOs({}), null);
  });

  it('auto falls back to direct when the host is missing and back to the host when one answers', () => {
    const t = modeTransport('auto', 'win');
    const [native] = t.of('native');
    assert.deepEqual(t.choices, [{ mode: 'auto', transport: 'native', hostMissing: false }]);
    t.transport.connect();
    native.hooks.onState({ state: 'connecting', detail: null });
    native.hooks.onState({ state: 'disconnected', detail: NOT_FOUND });
    assert.equal(t.transport.hostMissing(), true);
    assert.deepEqual(t.choices.at(-1), { mode: 'auto', transport: 'direct', hostMissing: true });
    const [direct] = t.of('direct');
    assert.deepEqual(direct.calls, ['connect']);
    direct.hooks.onState({ state: 'open', detail: null });
    direct.open = true;
    assert.equal(t.transport.send({ type: 'text' }), true);
    assert.deepEqual(direct.sent, [{ type: 'text' }]);
    // The native port's retries are not shown as the connection while direct carries the events.
    native.hooks.onState({ state: 'connecting', detail: null });
    native.hooks.onState({ state: 'disconnected', detail: NOT_FOUND });
    assert.deepEqual(t.states.map((s) => s.state), ['connecting', 'disconnected', 'open']);
    assert.equal(t.of('direct').length, 1, 'one direct transport, however often the host is missing');
    // The alarm's connect lets the native port try again too.
    t.transport.connect();
    assert.deepEqual(native.calls, ['connect', 'connect']);
    // A host answers.
    native.hooks.onState({ state: 'open', detail: null });
    assert.equal(t.transport.hostMissing(), true);
    native.hooks.onHostMessage({ type: 'hello-reply', ready: true });
    assert.equal(t.transport.hostMissing(), false);
    assert.deepEqual(direct.calls.at(-1), 'close');
    assert.deepEqual(t.choices.at(-1), { mode: 'auto', transport: 'native', hostMissing: false });
    assert.deepEqual(t.messages, [{ type: 'hello-reply', ready: true }]);
    assert.equal(t.states.at(-1).state, 'open');
    native.open = true;
    t.transport.send({ type: 'capture-reply' });
    assert.deepEqual(native.sent, [{ type: 'capture-reply' }]);
  });

  it('passes the alarm tick to the carrying transport when it has one', () => {
    const t = modeTransport('auto', 'cros');
    const [direct] = t.of('direct');
    direct.tick = () => direct.calls.push('tick');
    t.transport.tick();
    assert.deepEqual(direct.calls, ['tick']);
    const n = modeTransport('native', 'linux');
    n.transport.tick(); // the native transport has none: nothing happens
    assert.deepEqual(n.of('native')[0].calls, []);
  });

  it('auto keeps a host that crashes (it is there) and native mode never falls back', () => {
    const auto = modeTransport('auto', 'linux');
    auto.of('native')[0].hooks.onState({ state: 'disconnected', detail: 'Native host has exited.' });
    assert.equal(auto.transport.hostMissing(), false);
    assert.equal(auto.of('direct').length, 0);
    const native = modeTransport('native', 'linux');
    native.of('native')[0].hooks.onState({ state: 'disconnected', detail: NOT_FOUND });
    assert.equal(native.transport.hostMissing(), false);
    assert.equal(native.of('direct').length, 0);
    assert.deepEqual(native.states, [{ state: 'disconnected', detail: NOT_FOUND }]);
  });

  it('direct mode and auto on ChromeOS make no native transport', () => {
    for (const [mode, os] of [['direct', 'win'], ['auto', 'cros']]) {
      const t = modeTransport(mode, os);
      assert.equal(t.of('native').length, 0);
      t.transport.connect();
      assert.deepEqual(t.of('direct')[0].calls, ['connect']);
      assert.deepEqual(t.choices, [{ mode, transport: 'direct', hostMissing: false }]);
      assert.equal(t.transport.send({}), false, 'not open');
    }
  });

  it('after close nothing switches', () => {
    const t = modeTransport('auto', 'win');
    t.transport.close();
    t.of('native')[0].hooks.onState({ state: 'disconnected', detail: NOT_FOUND });
    assert.equal(t.of('direct').length, 0);
    assert.deepEqual(t.states, []);
  });

  it('reads what the worker recorded', async () => {
    const storage = fakeStorage({ [TRANSPORT_KEY]: { mode: 'auto', transport: 'direct', hostMissing: true, since: '2026-01-01T00:00:00.000Z' } });
    assert.equal((await readTransportState(storage)).hostMissing, true);
    assert.equal(await readTransportState(fakeStorage()), null);
  });
});
