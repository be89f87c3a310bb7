import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createStatusStore } from '../background/status-store.js';
import { describeConnection } from '../status.js';
import { fakeStorage } from '../test-support/fakes.js';

describe('status', () => {
  it('keeps the connection state and the hello of the current connection', async () => {
    const storage = fakeStorage();
    const status = createStatusStore({ storage, now: () => new Date('2026-01-01T00:00:00Z') });
    assert.equal((await status.get()).state, 'starting');
    await status.setState({ state: 'connecting' });
    await status.setState({ state: 'open' });
    await status.setHello({ hostVersion: '1.2.3', libraryVersion: 'lib-7', ready: true, problem: null });
    assert.deepEqual(await status.get(), {
      state: 'open', detail: null, since: '2026-01-01T00:00:00.000Z',
      hello: { hostVersion: '1.2.3', libraryVersion: 'lib-7', ready: true, problem: null },
    });
    await status.setState({ state: 'disconnected', detail: 'Native host has exited.' });
    assert.equal((await status.get()).hello.hostVersion, '1.2.3', 'last host still shown');
    await status.setState({ state: 'connecting' });
    assert.equal((await status.get()).hello, null);
    // A restarted worker reads the same.
    assert.equal((await createStatusStore({ storage }).get()).state, 'connecting');
  });

  it('describes the connection for IT staff', () => {
    assert.equal(describeConnection(undefined), 'starting');
    assert.equal(describeConnection({ state: 'disconnected', detail: 'Specified native messaging host not found.' }), 'host missing (not installed for this browser)');
    assert.match(describeConnection({ state: 'disconnected', detail: 'Access to the specified native messaging host is forbidden.' }), /refuses/);
    assert.equal(describeConnection({ state: 'disconnected', detail: 'Native host has exited.' }), 'disconnected: Native host has exited.');
    assert.equal(describeConnection({ state: 'open', hello: { ready: true } }), 'connected');
    assert.equal(describeConnection({ state: 'open', hello: { ready: false, problem: 'not enrolled' } }), 'connected, host not ready: not enrolled');
    assert.match(describeConnection({ state: 'open', hello: null }), /waiting/);
    assert.match(describeConnection({ state: 'unavailable', detail: 'direct mode (Chromebook) is not available in this version' }), /direct mode/);
  });
});
