// @ts-check
// The pupil's pseudonymous user ID, computed in the browser in direct mode exactly as the host computes it
// (core PseudonymousId.cs): HMAC-SHA256 of the trimmed, lower-cased account name under the school's own key
// (managed policy `userIdKey`), first 16 bytes in hex. The key never leaves the device.

export const UNKNOWN_USER_ID = '0'.repeat(32);
const SCHOOL_KEY = /^[A-Za-z0-9+/]{43}=$/;

/** The user ID, or UNKNOWN_USER_ID when there is no usable key or account (the incident is never lost for it). */
export async function pseudonymousId(schoolKeyBase64, account, subtle = crypto.subtle) {
  if (typeof schoolKeyBase64 !== 'string' || !SCHOOL_KEY.test(schoolKeyBase64) || typeof account !== 'string' || account.trim() === '') {
    return UNKNOWN_USER_ID;
  }
  const raw = Uint8Array.from(atob(schoolKeyBase64), (c) => c.charCodeAt(0));
  const key = await subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await subtle.sign('HMAC', key, new TextEncoder().encode(account.trim().toLowerCase())));
  return Array.from(mac.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
}
