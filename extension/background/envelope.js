// @ts-check
// Seals bytes to the eSafe server's public key in the envelope the C# code writes and opens
// (core/eSafe.Incidents/IncidentSealer.cs): ephemeral ECDH P-256, HKDF-SHA256, AES-256-GCM. Byte for byte
// the same, checked by the published vectors (docs/ENVELOPE-VECTORS.md) here and in the C# tests. Used in
// direct mode, so that nothing the pupil typed is readable between TLS termination and the server's pipeline.

export const VERSION = 1;
export const SUITE = 'esafe-incident-v1';
const NONCE_BYTES = 12;
const CURVE = { name: 'ECDH', namedCurve: 'P-256' };
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const encoder = new TextEncoder();

export function toBase64(bytes) {
  let binary = '';
  // In slices: String.fromCharCode takes only so many arguments.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

/**
 * A sortable ID in the incidents' format (core IncidentId.cs): 48 bits of Unix milliseconds and 80 random
 * bits as 26 characters of Crockford base32. An envelope's ID is bound into its seal.
 */
export function newEnvelopeId(nowMs = Date.now(), random = (n) => crypto.getRandomValues(new Uint8Array(n))) {
  const bytes = new Uint8Array(16);
  let ms = BigInt(nowMs);
  for (let i = 5; i >= 0; i--) {
    bytes[i] = Number(ms & 0xffn);
    ms >>= 8n;
  }
  bytes.set(random(10), 6);
  let value = 0n;
  for (const b of bytes) {
    value = (value << 8n) | BigInt(b);
  }
  let id = '';
  for (let i = 0; i < 26; i++) {
    id = CROCKFORD[Number(value & 31n)] + id;
    value >>= 5n;
  }
  return id;
}

/**
 * Seals `plaintext` (Uint8Array) for the server key {keyId, publicKey: base64 SubjectPublicKeyInfo}, bound to `id`.
 * Resolves to the envelope as JSON sends it: {version, incidentId, keyId, ephemeralPublicKey, nonce, ciphertext},
 * byte fields in base64. `ephemeral` (a CryptoKeyPair) and `nonce` are for the test vectors only.
 */
export async function seal(plaintext, id, serverKey, { subtle = crypto.subtle, ephemeral = null, nonce = null } = {}) {
  const serverPublic = await subtle.importKey('spki', fromBase64(serverKey.publicKey), CURVE, false, []);
  const pair = ephemeral ?? (await subtle.generateKey(CURVE, false, ['deriveBits']));
  const ephemeralPublic = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
  const shared = await subtle.deriveBits({ name: 'ECDH', public: serverPublic }, pair.privateKey, 256);
  const hkdf = await subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  const key = await subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: ephemeralPublic, info: encoder.encode(`${SUITE}\n${serverKey.keyId}`) },
    hkdf,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt'],
  );
  const iv = nonce ?? crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const ciphertext = new Uint8Array(await subtle.encrypt(
    { name: 'AES-GCM', iv, tagLength: 128, additionalData: encoder.encode(`${SUITE}\n${id}\n${serverKey.keyId}`) },
    key,
    plaintext,
  ));
  return {
    version: VERSION,
    incidentId: id,
    keyId: serverKey.keyId,
    ephemeralPublicKey: toBase64(ephemeralPublic),
    nonce: toBase64(iv),
    ciphertext: toBase64(ciphertext),
  };
}

/** Seals a value's JSON. */
export function sealJson(value, id, serverKey, options) {
  return seal(encoder.encode(JSON.stringify(value)), id, serverKey, options);
}
