import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DEVICE_KEY, MAX_BATCH_EVENTS, BATCH_DELAY_MS, HEARTBEAT_MS, createDirectTransport } from '../background/direct-transport.js';
import { fakeClock, fakeStorage, settle, silentLog } from '../test-support/fakes.js';
import { openEnvelope } from '../test-support/open-envelope.js';

const vector = JSON.parse(readFileSync(new URL('../../docs/envelope-vectors.json', import.meta.url), 'utf8')).envelopes[0];
const userIds = JSON.parse(readFileSync(new URL('../../docs/envelope-vectors.json', import.meta.url), 'utf8')).userIds;
const SERVER = 'https://esafe.example.org';
const serverKey = { keyId: vector.keyId, publicKey: vector.serverPublicKey };

// Opens what the transport sealed, as the server would.
async function open(envelope) {
  return JSON.parse(new TextDecoder().decode(await openEnvelope(envelope, vector.serverPrivateKeyPkcs8)));
}

function respond(status, body) {
  return { ok: status >= 200 && status < 300, status, json: async () => body };
}

// A scripted server: each path answers with the handler given, and every request is recorded.
function fakeServer(handlers) {
  const requests = [];
  const fetch = async (url, init) => {
    const path = url.slice(SERVER.length);
    const request = { path, headers: init.headers, body: JSON.parse(init.body) };
    requests.push(request);
    const handler = Object.entries(handlers).find(([prefix]) => path.startsWith(prefix))?.[1];
    if (!handler) {
      return respond(404, { title: 'Not found' });
    }
    return handler(request);
  };
  return { fetch, requests };
}

function setup({ handlers = {}, storage = fakeStorage(), policy = { serverUrl: `${SERVER}/`, userIdKey: userIds[0].userIdKey, enrolmentCode: 'CODE-1' } } = {}) {
  const clock = fakeClock(1_700_000_000_000);
  const server = fakeServer({
    '/api/v1/devices/enrol': () => respond(200, { schoolId: 's1', deviceId: 'dev-1', deviceToken: 'dev-1.secret', serverKey }),
    ...handlers,
  });
  const states = [];
  const received = [];
  const transport = createDirectTransport({
    fetch: server.fetch,
    storage,
    policy: () => policy,
    enrolmentCode: async () => policy.enrolmentCode,
    describe: async () => ({ account: userIds[0].account, extensionVersion: '0.1.0', machineName: 'CB-7' }),
    onOpen: async () => {},
    onMessage: (m) => received.push(m),
    onState: (s) => states.push(s),
    backlogStats: async () => ({ count: 3 }),
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    now: clock.now,
    log: silentLog,
  });
  return { transport, server, clock, states, received, storage };
}

const event = (id, text = 'hello') => ({ eventId: id, tabId: 4, fieldId: 'f', source: 'typed', url: 'https://chat.example.org/', title: 'Chat', text,
  occurredAt: '2026-12-02T10:00:00.000Z', localOffsetMinutes: 0 });

// Bounded by wall-clock time, not rounds: the first WebCrypto calls of a cold process can take a while.
async function until(condition, timeoutMs = 5000) {
  const start = Date.now();
  while (!condition() && Date.now() - start < timeoutMs) {
    await settle();
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.ok(condition(), 'the condition was never met');
}

describe('direct transport', () => {
  it('enrols once with the policy\'s code, keeps the token in local storage and opens', async () => {
    const { transport, server, states, storage } = setup();
    transport.connect();
    await until(() => transport.isOpen());
    const enrol = server.requests.find((r) => r.path === '/api/v1/devices/enrol');
    assert.deepEqual(enrol.body, { enrolmentCode: 'CODE-1', machineName: 'CB-7', hostVersion: 'direct/0.1.0' });
    assert.equal((await storage.get(DEVICE_KEY))[DEVICE_KEY].token, 'dev-1.secret');
    assert.deepEqual(states.map((s) => s.state), ['connecting', 'open']);

    const again = setup({ storage });
    again.transport.connect();
    await until(() => again.transport.isOpen());
    assert.equal(again.server.requests.filter((r) => r.path === '/api/v1/devices/enrol').length, 0, 'a stored token is used again');
  });

  it('says why it cannot open without a code or a server, and sends nothing', async () => {
    const noCode = setup({ policy: { serverUrl: SERVER, userIdKey: null, enrolmentCode: null } });
    noCode.transport.connect();
    await until(() => noCode.states.some((s) => s.state === 'unavailable'));
    assert.match(noCode.states.at(-1).detail, /enrolmentCode/);
    assert.equal(noCode.transport.send({ type: 'text', event: event('a') }), false);

    const noServer = setup({ policy: { serverUrl: null, userIdKey: null, enrolmentCode: 'X' } });
    noServer.transport.connect();
    await until(() => noServer.states.some((s) => s.state === 'unavailable'));
    assert.match(noServer.states.at(-1).detail, /serverUrl/);
    assert.equal(noServer.server.requests.length, 0);
  });

  it('sends events in one sealed batch with the pupil\'s pseudonymous ID, and turns the reply into acks, refusals and capture requests', async () => {
    const { transport, server, clock, received } = setup({
      handlers: {
        '/api/v1/devices/direct/batches': async ({ body }) => {
          const batch = await open(body);
          return respond(200, {
            acked: batch.events.slice(0, 2).map((e) => e.eventId),
            refused: [{ eventId: batch.events[2].eventId, problem: 'url is bad' }],
            screenshots: [{ incidentId: '01JE0000000000000000000009', tabId: 4 }],
            globalLibraryVersion: 'g-1',
            schoolLibraryVersion: 3,
          });
        },
      },
    });
    transport.connect();
    await until(() => transport.isOpen());
    for (const id of ['a', 'b', 'c']) {
      assert.equal(transport.send({ type: 'text', event: event(id) }), true);
    }
    transport.send({ type: 'text', event: event('a') }); // resent meanwhile: goes once
    clock.advance(BATCH_DELAY_MS);
    await until(() => received.length === 4);

    const posted = server.requests.filter((r) => r.path === '/api/v1/devices/direct/batches');
    assert.equal(posted.length, 1);
    assert.equal(posted[0].headers.Authorization, 'Bearer dev-1.secret');
    const batch = await open(posted[0].body);
    assert.equal(batch.userId, userIds[0].userId);
    assert.deepEqual(batch.events.map((e) => e.eventId), ['a', 'b', 'c']);
    assert.match(posted[0].body.incidentId, /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
    assert.deepEqual(received, [
      { type: 'ack', eventId: 'a' },
      { type: 'ack', eventId: 'b' },
      { type: 'error', eventId: 'c', message: 'url is bad' },
      { type: 'capture', requestId: '01JE0000000000000000000009', tabId: 4 },
    ]);
  });

  it('keeps a batch the server could not take and sends it again after a back-off', async () => {
    let fail = true;
    const { transport, server, clock, received } = setup({
      handlers: {
        '/api/v1/devices/direct/batches': async ({ body }) => {
          if (fail) {
            return respond(503, { detail: 'storage unavailable' });
          }
          const batch = await open(body);
          return respond(200, { acked: batch.events.map((e) => e.eventId), refused: [], screenshots: [], globalLibraryVersion: 'g', schoolLibraryVersion: 0 });
        },
      },
    });
    transport.connect();
    await until(() => transport.isOpen());
    transport.send({ type: 'text', event: event('a') });
    clock.advance(BATCH_DELAY_MS);
    await until(() => server.requests.filter((r) => r.path.endsWith('/batches')).length === 1);
    await settle();
    assert.deepEqual(received, []);
    fail = false;
    clock.advance(60_000);
    await until(() => received.length === 1);
    assert.deepEqual(received, [{ type: 'ack', eventId: 'a' }]);
  });

  it('sends a full batch at once and the rest after it', async () => {
    const sizes = [];
    const { transport, clock, received } = setup({
      handlers: {
        '/api/v1/devices/direct/batches': async ({ body }) => {
          const batch = await open(body);
          sizes.push(batch.events.length);
          return respond(200, { acked: batch.events.map((e) => e.eventId), refused: [], screenshots: [], globalLibraryVersion: 'g', schoolLibraryVersion: 0 });
        },
      },
    });
    transport.connect();
    await until(() => transport.isOpen());
    for (let i = 0; i < MAX_BATCH_EVENTS + 5; i++) {
      transport.send({ type: 'text', event: event(`e${i}`) });
    }
    clock.advance(0);
    await until(() => sizes.length === 1);
    clock.advance(BATCH_DELAY_MS);
    await until(() => received.length === MAX_BATCH_EVENTS + 5);
    assert.deepEqual(sizes, [MAX_BATCH_EVENTS, 5]);
  });

  it('posts the worker\'s capture reply as a sealed screenshot for that incident', async () => {
    const { transport, server } = setup({ handlers: { '/api/v1/devices/direct/screenshots/': () => respond(200, { incidentId: 'x', duplicate: false }) } });
    transport.connect();
    await until(() => transport.isOpen());
    transport.send({ type: 'capture-reply', requestId: '01JE0000000000000000000009', jpeg: '/9j/4AAQ' });
    transport.send({ type: 'capture-reply', requestId: '01JE000000000000000000000A', error: 'tab not visible' });
    await until(() => server.requests.filter((r) => r.path.includes('/screenshots/')).length === 2);
    // Each reply is sealed on its own, so the two may arrive in either order.
    const posted = server.requests.filter((r) => r.path.includes('/screenshots/'));
    const shot = posted.find((r) => r.path.endsWith('/01JE0000000000000000000009'));
    const missing = posted.find((r) => r.path.endsWith('/01JE000000000000000000000A'));
    assert.ok(shot && missing, 'one post for each incident');
    assert.equal(shot.path, '/api/v1/devices/direct/screenshots/01JE0000000000000000000009');
    assert.equal(shot.body.incidentId, '01JE0000000000000000000009');
    assert.deepEqual(await open(shot.body), { jpeg: '/9j/4AAQ' });
    assert.deepEqual(await open(missing.body), { error: 'tab not visible' });
  });

  it('seals batches and screenshots under one ephemeral key until 10 minutes have passed, then under a new one', async () => {
    const { transport, server, clock, received } = setup({
      handlers: {
        '/api/v1/devices/direct/batches': async ({ body }) => {
          const batch = await open(body);
          return respond(200, { acked: batch.events.map((e) => e.eventId), refused: [], screenshots: [], globalLibraryVersion: 'g', schoolLibraryVersion: 0 });
        },
        '/api/v1/devices/direct/screenshots/': () => respond(200, { incidentId: 'x', duplicate: false }),
      },
    });
    transport.connect();
    await until(() => transport.isOpen());
    const sendOne = async (id, after) => {
      transport.send({ type: 'text', event: event(id) });
      clock.advance(after);
      await until(() => received.some((m) => m.eventId === id));
    };
    await sendOne('a', BATCH_DELAY_MS);
    await sendOne('b', BATCH_DELAY_MS);
    transport.send({ type: 'capture-reply', requestId: '01JE0000000000000000000009', jpeg: '/9j/4AAQ' });
    await until(() => server.requests.some((r) => r.path.includes('/screenshots/')));
    await sendOne('c', 10 * 60_000);
    const sealed = server.requests.filter((r) => r.path.includes('/direct/')).map((r) => r.body);
    assert.equal(sealed.length, 4);
    assert.equal(new Set(sealed.slice(0, 3).map((e) => e.ephemeralPublicKey)).size, 1, 'one key for the first ten minutes');
    assert.notEqual(sealed[3].ephemeralPublicKey, sealed[0].ephemeralPublicKey, 'a new key after them');
    assert.equal(new Set(sealed.map((e) => e.nonce)).size, 4);
  });

  it('enrols again when the server no longer knows its token, keeping the events', async () => {
    let known = false;
    const { transport, server, clock, received } = setup({
      handlers: {
        '/api/v1/devices/direct/batches': async ({ body }) => {
          if (!known) {
            known = true;
            return respond(401, { title: 'Device not recognised' });
          }
          const batch = await open(body);
          return respond(200, { acked: batch.events.map((e) => e.eventId), refused: [], screenshots: [], globalLibraryVersion: 'g', schoolLibraryVersion: 0 });
        },
      },
    });
    transport.connect();
    await until(() => transport.isOpen());
    transport.send({ type: 'text', event: event('a') });
    clock.advance(BATCH_DELAY_MS);
    await until(() => !transport.isOpen());
    clock.advance(60_000);
    await until(() => transport.isOpen());
    clock.advance(BATCH_DELAY_MS);
    await until(() => received.length === 1);
    assert.equal(server.requests.filter((r) => r.path === '/api/v1/devices/enrol').length, 2);
    assert.deepEqual(received, [{ type: 'ack', eventId: 'a' }]);
  });

  it('sends a heartbeat on opening and every few minutes, and takes a 404 calmly', async () => {
    const { transport, server, clock } = setup();
    transport.connect();
    await until(() => server.requests.some((r) => r.path === '/api/v1/devices/heartbeat'));
    const beat = server.requests.find((r) => r.path === '/api/v1/devices/heartbeat');
    assert.deepEqual(beat.body, { mode: 'direct', extensionVersion: '0.1.0', hostVersion: null, globalLibraryVersion: null, schoolLibraryVersion: null,
      backlog: 3, hostMissing: false });
    transport.tick();
    await settle();
    assert.equal(server.requests.filter((r) => r.path === '/api/v1/devices/heartbeat').length, 1, 'not due yet');
    clock.advance(HEARTBEAT_MS);
    transport.tick();
    await until(() => server.requests.filter((r) => r.path === '/api/v1/devices/heartbeat').length === 2);
  });
});
