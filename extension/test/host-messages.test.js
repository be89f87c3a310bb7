import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHostMessageHandler } from '../background/host-messages.js';
import { createBacklog } from '../background/backlog.js';
import { fakeStorage, silentLog } from '../test-support/fakes.js';
import { fakeIndexedDB } from '../test-support/indexeddb.js';

async function setup() {
  const backlog = createBacklog({ storage: fakeStorage(), indexedDB: fakeIndexedDB(), log: silentLog });
  await backlog.add({ eventId: 'e1', source: 'typed', tabId: 1, fieldId: 'a', text: 'one' });
  await backlog.add({ eventId: 'e2', source: 'typed', tabId: 1, fieldId: 'b', text: 'two' });
  const replies = [];
  const hellos = [];
  const captures = [];
  const handle = createHostMessageHandler({
    backlog,
    capture: { handle: async (m) => (captures.push(m), { type: 'capture-reply', requestId: m.requestId, jpeg: 'AA==' }) },
    recordHello: async (h) => hellos.push(h),
    reply: (m) => replies.push(m),
    log: silentLog,
  });
  const ids = async () => (await backlog.all()).map((e) => e.eventId);
  return { handle, replies, hellos, captures, ids };
}

describe('host messages', () => {
  it('ack forgets the event', async () => {
    const { handle, replies, ids } = await setup();
    await handle({ type: 'ack', eventId: 'e1', incidents: 1 });
    assert.deepEqual(await ids(), ['e2']);
    assert.deepEqual(replies, []);
  });

  it('an error about an event drops it, and is never answered', async () => {
    const { handle, replies, ids } = await setup();
    await handle({ type: 'error', message: 'url is not an http(s) URL', eventId: 'e2' });
    await handle({ type: 'error', message: 'something else' });
    assert.deepEqual(await ids(), ['e1']);
    assert.deepEqual(replies, []);
  });

  it('hello-reply is recorded', async () => {
    const { handle, hellos } = await setup();
    await handle({ type: 'hello-reply', protocol: 1, hostVersion: '0.1.0', libraryVersion: 'global-2026.1', ready: false, problem: 'not enrolled' });
    assert.deepEqual(hellos, [{ protocol: 1, hostVersion: '0.1.0', libraryVersion: 'global-2026.1', ready: false, problem: 'not enrolled' }]);
    await handle({ type: 'hello-reply', protocol: 1, hostVersion: '0.1.0', libraryVersion: 'x', ready: true });
    assert.deepEqual(hellos[1], { protocol: 1, hostVersion: '0.1.0', libraryVersion: 'x', ready: true, problem: null });
  });

  it('capture is answered with the capture reply', async () => {
    const { handle, replies, captures } = await setup();
    await handle({ type: 'capture', requestId: 'r1', tabId: 5 });
    assert.deepEqual(captures, [{ type: 'capture', requestId: 'r1', tabId: 5 }]);
    assert.deepEqual(replies, [{ type: 'capture-reply', requestId: 'r1', jpeg: 'AA==' }]);
  });

  it('an unknown or typeless message is answered with error and changes nothing', async () => {
    const { handle, replies, ids } = await setup();
    await handle({ type: 'future-thing', eventId: 'e1' });
    await handle({ eventId: 'e1' });
    await handle(null);
    await handle({ type: 'ack' });
    assert.deepEqual(replies.map((r) => r.type), ['error', 'error', 'error', 'error']);
    assert.match(replies[0].message, /unknown message type 'future-thing'/);
    assert.deepEqual(await ids(), ['e1', 'e2']);
  });
});
