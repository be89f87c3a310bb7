import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SESSION_MAX_AGE_MS, SESSION_MAX_ENVELOPES, createSealingSession, fromBase64, newEnvelopeId, seal, sealJson } from '../background/envelope.js';
import { UNKNOWN_USER_ID, pseudonymousId } from '../background/user-id.js';
import { openEnvelope } from '../test-support/open-envelope.js';

const vectors = JSON.parse(readFileSync(new URL('../../docs/envelope-vectors.json', import.meta.url), 'utf8'));
const CURVE = { name: 'ECDH', namedCurve: 'P-256' };
const subtle = crypto.subtle;

// A key pair from a PKCS#8 private key: WebCrypto gives the public half through JWK.
async function pairFromPkcs8(base64) {
  const privateKey = await subtle.importKey('pkcs8', fromBase64(base64), CURVE, true, ['deriveBits']);
  const { kty, crv, x, y } = await subtle.exportKey('jwk', privateKey);
  const publicKey = await subtle.importKey('jwk', { kty, crv, x, y }, CURVE, true, []);
  return { privateKey, publicKey };
}

const open = (envelope, key) => openEnvelope(envelope, key);

describe('envelope', () => {
  for (const vector of vectors.envelopes) {
    it(`matches the published vector: ${vector.name}`, async () => {
      const envelope = await seal(new TextEncoder().encode(vector.plaintextUtf8), vector.id,
        { keyId: vector.keyId, publicKey: vector.serverPublicKey },
        { ephemeral: await pairFromPkcs8(vector.ephemeralPrivateKeyPkcs8), nonce: fromBase64(vector.nonce) });
      assert.deepEqual(envelope, vector.envelope);
    });
  }

  it('seals with a fresh key and nonce each time, and the server key opens it', async () => {
    const vector = vectors.envelopes[0];
    const serverKey = { keyId: vector.keyId, publicKey: vector.serverPublicKey };
    const first = await sealJson({ text: 'i will hurt him' }, vector.id, serverKey);
    const second = await sealJson({ text: 'i will hurt him' }, vector.id, serverKey);
    assert.notEqual(first.ephemeralPublicKey, second.ephemeralPublicKey);
    assert.notEqual(first.nonce, second.nonce);
    assert.notEqual(first.ciphertext, second.ciphertext);
    const opened = JSON.parse(new TextDecoder().decode(await open(first, vector.serverPrivateKeyPkcs8)));
    assert.deepEqual(opened, { text: 'i will hurt him' });
  });

  it('binds the ID: the same ciphertext under another ID does not open', async () => {
    const vector = vectors.envelopes[0];
    const changed = { ...vector.envelope, incidentId: '01JE0000000000000000000001' };
    await assert.rejects(open(changed, vector.serverPrivateKeyPkcs8));
  });

  it('makes sortable 26-character IDs in the incidents\' alphabet, time first', () => {
    const zeros = () => new Uint8Array(10);
    assert.equal(newEnvelopeId(0, zeros), '0'.repeat(26));
    const id = newEnvelopeId(Date.UTC(2026, 11, 2));
    assert.match(id, /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
    assert.ok(newEnvelopeId(Date.UTC(2026, 11, 2), zeros) < newEnvelopeId(Date.UTC(2026, 11, 2) + 1, zeros));
  });
});

describe('sealing session', () => {
  const vector = vectors.envelopes[0];
  const serverKey = { keyId: vector.keyId, publicKey: vector.serverPublicKey };
  const plain = (text) => new TextEncoder().encode(text);
  const opened = async (envelope) => new TextDecoder().decode(await open(envelope, vector.serverPrivateKeyPkcs8));

  it('is bounded to 4,096 envelopes and 10 minutes a key pair', () => {
    assert.equal(SESSION_MAX_ENVELOPES, 4096);
    assert.equal(SESSION_MAX_AGE_MS, 10 * 60_000);
  });

  it('reuses one ephemeral key with a fresh nonce for each envelope, and the server key opens every one', async () => {
    const session = createSealingSession({ now: () => 1000 });
    const sealed = await Promise.all(['one', 'two', 'three'].map((text, i) => session.seal(plain(text), newEnvelopeId(1000 + i), serverKey)));
    assert.equal(new Set(sealed.map((e) => e.ephemeralPublicKey)).size, 1);
    assert.equal(new Set(sealed.map((e) => e.nonce)).size, 3);
    assert.deepEqual(await Promise.all(sealed.map(opened)), ['one', 'two', 'three']);
  });

  it('makes a new key pair after the 4,096th envelope', async () => {
    const session = createSealingSession({ now: () => 1000 });
    const keys = [];
    for (let i = 0; i < SESSION_MAX_ENVELOPES + 1; i++) {
      keys.push((await session.seal(plain('x'), vector.id, serverKey)).ephemeralPublicKey);
    }
    assert.equal(new Set(keys.slice(0, SESSION_MAX_ENVELOPES)).size, 1);
    assert.notEqual(keys[SESSION_MAX_ENVELOPES], keys[0]);
  });

  it('makes a new key pair once the session is 10 minutes old, or the clock went back', async () => {
    let time = 5_000_000;
    const session = createSealingSession({ now: () => time });
    const first = (await session.seal(plain('a'), vector.id, serverKey)).ephemeralPublicKey;
    time += SESSION_MAX_AGE_MS - 1;
    assert.equal((await session.seal(plain('b'), vector.id, serverKey)).ephemeralPublicKey, first);
    time += 1;
    const second = (await session.seal(plain('c'), vector.id, serverKey)).ephemeralPublicKey;
    assert.notEqual(second, first);
    time -= 60_000;
    const third = await session.seal(plain('d'), vector.id, serverKey);
    assert.notEqual(third.ephemeralPublicKey, second);
    assert.equal(await opened(third), 'd');
  });

  it('makes a new key pair for another server key and after forget()', async () => {
    const session = createSealingSession({ now: () => 1000 });
    const first = await session.seal(plain('a'), vector.id, serverKey);
    const otherId = await session.seal(plain('b'), vector.id, { ...serverKey, keyId: 'k2' });
    assert.notEqual(otherId.ephemeralPublicKey, first.ephemeralPublicKey);
    assert.equal(otherId.keyId, 'k2');
    const back = await session.seal(plain('c'), vector.id, serverKey);
    assert.notEqual(back.ephemeralPublicKey, first.ephemeralPublicKey);
    session.forget();
    const fresh = await session.seal(plain('d'), vector.id, serverKey);
    assert.notEqual(fresh.ephemeralPublicKey, back.ephemeralPublicKey);
    assert.equal(await opened(fresh), 'd');
  });

  it('does not keep a key pair it could not make: a bad server key fails, the next good one seals', async () => {
    const session = createSealingSession({ now: () => 1000 });
    await assert.rejects(session.seal(plain('a'), vector.id, { keyId: vector.keyId, publicKey: 'AAAA' }));
    assert.equal(await opened(await session.seal(plain('b'), vector.id, serverKey)), 'b');
  });

  it('binds each envelope\'s ID as a one-use seal does', async () => {
    const session = createSealingSession();
    const envelope = await session.seal(plain('a'), vector.id, serverKey);
    await assert.rejects(open({ ...envelope, incidentId: '01JE0000000000000000000001' }, vector.serverPrivateKeyPkcs8));
  });
});

describe('pseudonymous user ID', () => {
  for (const vector of vectors.userIds) {
    it(`matches the published vector for '${vector.account}'`, async () => {
      assert.equal(await pseudonymousId(vector.userIdKey, vector.account), vector.userId);
    });
  }

  it('is the unknown ID without a well-formed key or an account', async () => {
    const key = vectors.userIds[0].userIdKey;
    assert.equal(await pseudonymousId(null, 'pupil@school.example'), UNKNOWN_USER_ID);
    assert.equal(await pseudonymousId('not-a-key', 'pupil@school.example'), UNKNOWN_USER_ID);
    assert.equal(await pseudonymousId(key, '  '), UNKNOWN_USER_ID);
    assert.equal(await pseudonymousId(key, null), UNKNOWN_USER_ID);
  });
});
