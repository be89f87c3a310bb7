// @ts-check
// Seals bytes to the eSafe server's public key in the envelope the C# code writes and opens
// (core/eSafe.Incidents/IncidentSealer.cs): ephemeral ECDH P-256, HKDF-SHA256, AES-256-GCM. Byte for byte
// the same, checked by the published vectors (docs/ENVELOPE-VECTORS.md) here and in the C# tests. Used in
// direct mode, so that nothing the pupil typed is readable between TLS termination and the server's pipeline;
// there a sealing session (createSealingSession) seals many envelopes under one ephemeral key pair.

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

// The AES key an envelope is sealed under: ECDH of the ephemeral pair with the server's key, then HKDF
// (salt: the ephemeral public key's SPKI bytes, info: suite and key ID). Not extractable.
async function deriveSealingKey(subtle, serverKey, pair) {
  const serverPublic = await subtle.importKey('spki', fromBase64(serverKey.publicKey), CURVE, false, []);
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
  return { ephemeralPublic, key };
}

async function encrypt(subtle, { ephemeralPublic, key }, plaintext, id, keyId, nonce) {
  const iv = nonce ?? crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const ciphertext = new Uint8Array(await subtle.encrypt(
    { name: 'AES-GCM', iv, tagLength: 128, additionalData: encoder.encode(`${SUITE}\n${id}\n${keyId}`) },
    key,
    plaintext,
  ));
  return {
    version: VERSION,
    incidentId: id,
    keyId,
    ephemeralPublicKey: toBase64(ephemeralPublic),
    nonce: toBase64(iv),
    ciphertext: toBase64(ciphertext),
  };
}

/**
 * Seals `plaintext` (Uint8Array) for the server key {keyId, publicKey: base64 SubjectPublicKeyInfo}, bound to `id`,
 * under a one-use ephemeral key pair. Resolves to the envelope as JSON sends it: {version, incidentId, keyId,
 * ephemeralPublicKey, nonce, ciphertext}, byte fields in base64. `ephemeral` (a CryptoKeyPair) and `nonce` are for the
 * test vectors only.
 */
export async function seal(plaintext, id, serverKey, { subtle = crypto.subtle, ephemeral = null, nonce = null } = {}) {
  const pair = ephemeral ?? (await subtle.generateKey(CURVE, false, ['deriveBits']));
  return encrypt(subtle, await deriveSealingKey(subtle, serverKey, pair), plaintext, id, serverKey.keyId, nonce);
}

/** Seals a value's JSON. */
export function sealJson(value, id, serverKey, options) {
  return seal(encoder.encode(JSON.stringify(value)), id, serverKey, options);
}

// A sealing session's bounds (docs/PROTOCOL.md §2b, "Sealing sessions"): a key pair seals at most this many envelopes
// (random 96-bit nonces stay far from GCM's limit of 2^32 a key) for at most this long (how far back a leak of the
// service worker's memory reaches).
export const SESSION_MAX_ENVELOPES = 4096;
export const SESSION_MAX_AGE_MS = 10 * 60_000;

/**
 * Seals many envelopes under one ephemeral key pair, so that the device and the server do the ECDH once a session
 * instead of once an envelope; each envelope still has its own random nonce, and the wire format is the one-use
 * envelope's. A new pair is made after `maxEnvelopes` envelopes, after `maxAgeMs`, when the server key changes, and after
 * `forget()`. The pair and the AES key live only in this object (not extractable, never stored): a service worker that
 * stops starts a new session.
 * @param {{subtle?: SubtleCrypto, now?: () => number, maxEnvelopes?: number, maxAgeMs?: number}} [options]
 */
export function createSealingSession({ subtle = crypto.subtle, now = () => Date.now(), maxEnvelopes = SESSION_MAX_ENVELOPES,
  maxAgeMs = SESSION_MAX_AGE_MS } = {}) {
  /** @type {{keyId: string, publicKey: string, started: number, sealed: number, material: Promise<{ephemeralPublic: Uint8Array, key: CryptoKey}>}|null} */
  let session = null;

  function current(serverKey) {
    const time = now();
    if (!session || session.keyId !== serverKey.keyId || session.publicKey !== serverKey.publicKey || session.sealed >= maxEnvelopes
      || time - session.started >= maxAgeMs || time < session.started) {
      const made = {
        keyId: serverKey.keyId,
        publicKey: serverKey.publicKey,
        started: time,
        sealed: 0,
        material: subtle.generateKey(CURVE, false, ['deriveBits']).then((pair) => deriveSealingKey(subtle, serverKey, pair)),
      };
      // A key that could not be made (a bad server key) is not kept: the next seal tries again.
      made.material.catch(() => {
        if (session === made) {
          session = null;
        }
      });
      session = made;
    }
    session.sealed++;
    return session.material;
  }

  return {
    /** Seals `plaintext` (Uint8Array) bound to `id` for `serverKey`, as `seal` does, under this session's key pair. */
    async seal(plaintext, id, serverKey) {
      return encrypt(subtle, await current(serverKey), plaintext, id, serverKey.keyId, null);
    },

    /** Seals a value's JSON. */
    sealJson(value, id, serverKey) {
      return this.seal(encoder.encode(JSON.stringify(value)), id, serverKey);
    },

    /** Drops the key pair: the next seal makes a new one. */
    forget() {
      session = null;
    },
  };
}
