import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fromBase64, newEnvelopeId, seal, sealJson } from '../background/envelope.js';
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
