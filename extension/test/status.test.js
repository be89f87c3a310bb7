import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createStatusStore } from '../background/status-store.js';
import { describeConnection, describeHost, describeLibrary, describeMode, describeOutage, sourceRows } from '../status.js';
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
      lastHello: { hostVersion: '1.2.3', libraryVersion: 'lib-7', ready: true, problem: null, at: '2026-01-01T00:00:00.000Z' },
      downSince: null, attempts: 0,
    });
    await status.setState({ state: 'disconnected', detail: 'Native host has exited.' });
    assert.equal((await status.get()).hello.hostVersion, '1.2.3', 'last host still shown');
    await status.setState({ state: 'connecting' });
    assert.equal((await status.get()).hello, null);
    assert.equal((await status.get()).lastHello.libraryVersion, 'lib-7', 'the last library version is kept');
    // A restarted worker reads the same.
    assert.equal((await createStatusStore({ storage }).get()).state, 'connecting');
  });

  it('describes the mode, and says when the host is missing', async () => {
    const since = '2026-01-01T09:00:00.000Z';
    const table = [
      [undefined, null, 'auto'],
      ['native', null, 'native'],
      ['auto', { mode: 'auto', transport: 'native', hostMissing: false, since }, 'auto: native host'],
      ['auto', { mode: 'auto', transport: 'direct', hostMissing: false, since }, 'auto: direct to the server'],
      ['direct', { mode: 'direct', transport: 'direct', hostMissing: false, since }, 'direct'],
    ];
    for (const [mode, transport, expected] of table) {
      assert.equal(describeMode(mode, transport, 'en-GB'), expected);
    }
    assert.match(describeMode('auto', { mode: 'auto', transport: 'direct', hostMissing: true, since }, 'en-GB'), /^auto: direct to the server; host missing since 01\/01\/2026/);
    // The worker records it with the time.
    const storage = fakeStorage();
    await createStatusStore({ storage, now: () => new Date(since) }).setTransport({ mode: 'auto', transport: 'direct', hostMissing: true });
    assert.deepEqual(storage.snapshot().transport, { mode: 'auto', transport: 'direct', hostMissing: true, since });
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

  it('counts the time and the tries without a connection, and forgets them once connected', async () => {
    let now = new Date('2026-01-01T08:00:00Z');
    const status = createStatusStore({ storage: fakeStorage(), now: () => now });
    await status.setState({ state: 'connecting' });
    await status.setState({ state: 'disconnected', detail: 'Specified native messaging host not found.' });
    now = new Date('2026-01-01T08:05:00Z');
    await status.setState({ state: 'connecting' });
    await status.setState({ state: 'disconnected', detail: 'Specified native messaging host not found.' });
    let record = await status.get();
    assert.equal(record.downSince, '2026-01-01T08:00:00.000Z');
    assert.equal(record.attempts, 2);
    await status.setState({ state: 'disconnected', detail: 'refused before connecting' });
    assert.equal((await status.get()).attempts, 3);
    await status.setState({ state: 'connecting' });
    await status.setState({ state: 'open' });
    record = await status.get();
    assert.equal(record.downSince, null);
    assert.equal(record.attempts, 0);
  });

  it('shows the host missing: since when, how often tried, what is kept, and the last library version', () => {
    const connection = {
      state: 'disconnected', detail: 'Specified native messaging host not found.', hello: null,
      downSince: '2026-01-01T08:00:00.000Z', attempts: 3,
      lastHello: { hostVersion: '0.1.0', libraryVersion: 'global-2026.1', at: '2026-01-01T07:00:00.000Z' },
    };
    const outage = describeOutage(connection, { count: 12 }, 'en-GB');
    assert.match(outage, /^no connection since /);
    assert.match(outage, /3 failed attempts/);
    assert.match(outage, /12 events kept until the host takes them/);
    assert.match(describeLibrary(connection, 'en-GB'), /^global-2026\.1 \(last seen .+\)$/);
    assert.match(describeHost(connection, 'en-GB'), /^0\.1\.0 \(last seen/);
    assert.equal(describeLibrary({ ...connection, hello: { libraryVersion: 'global-2026.2' } }), 'global-2026.2');
    assert.equal(describeLibrary({ state: 'starting' }), null);
    assert.equal(describeOutage({ state: 'open', downSince: null }, { count: 0 }), null);
    assert.equal(describeOutage({ state: 'disabled', downSince: '2026-01-01T08:00:00.000Z' }, { count: 0 }), null);
  });

  it('lists events by source: waiting, sent, refused and dropped, with a total', () => {
    const rows = sourceRows({
      count: 7, dropped: 40,
      sources: {
        typed: { count: 2, delivered: 30, refused: 1, dropped: 0 },
        page: { count: 4, delivered: 100, refused: 0, dropped: 40 },
        search: { count: 1, delivered: 5, refused: 0, dropped: 0 },
      },
    });
    assert.deepEqual(rows, [
      ['Typed text', 2, 30, 1, 0],
      ['Page text', 4, 100, 0, 40],
      ['Searches', 1, 5, 0, 0],
      ['All', 7, 135, 1, 40],
    ]);
    assert.deepEqual(sourceRows(undefined).at(-1), ['All', 0, 0, 0, 0]);
  });
});
