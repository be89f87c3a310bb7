// Opens an envelope as the server does (docs/ENVELOPE-VECTORS.md), for tests that check what the extension sealed.
import { fromBase64 } from '../background/envelope.js';

const CURVE = { name: 'ECDH', namedCurve: 'P-256' };

/** The plaintext bytes; rejects when the envelope was changed or sealed to another key. */
export async function openEnvelope(envelope, serverPrivatePkcs8, subtle = crypto.subtle) {
  const server = await subtle.importKey('pkcs8', fromBase64(serverPrivatePkcs8), CURVE, false, ['deriveBits']);
  const ephemeral = await subtle.importKey('spki', fromBase64(envelope.ephemeralPublicKey), CURVE, false, []);
  const shared = await subtle.deriveBits({ name: 'ECDH', public: ephemeral }, server, 256);
  const hkdf = await subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  const key = await subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: fromBase64(envelope.ephemeralPublicKey),
    info: new TextEncoder().encode(`esafe-incident-v1\n${envelope.keyId}`) }, hkdf, { name: 'AES-GCM', length: 256 }, false, ['decrypt']);
  return new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(envelope.nonce), tagLength: 128,
    additionalData: new TextEncoder().encode(`esafe-incident-v1\n${envelope.incidentId}\n${envelope.keyId}`) }, key, fromBase64(envelope.ciphertext)));
}
