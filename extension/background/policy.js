// @ts-check
// The IT admin's policy (chrome.storage.managed, described by managed_schema.json). The first managed
// read after the browser starts can take about 3 s, so it is read once and cached in
// chrome.storage.session; a policy change refreshes the cache.

import { DEFAULT_MODE, MODES } from './transport-mode.js';

export const POLICY_KEY = 'policy';
export const DEFAULT_POLICY = Object.freeze({ serverUrl: null, schoolId: null, mode: DEFAULT_MODE, enabled: true, userIdKey: null, enrolmentCode: null, pinSha256: null });
// 32 bytes in base64, as `esafe-host school-key new` writes it.
const SCHOOL_KEY = /^[A-Za-z0-9+/]{43}=$/;
const MAX_SCHOOL_ID = 128;
const MAX_ENROLMENT_CODE = 128;

function httpUrl(value) {
  if (typeof value !== 'string') {
    return null;
  }
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** The policy with every value checked and every missing or bad one at its safe default. */
export function normalizePolicy(raw) {
  const source = raw && typeof raw === 'object' ? raw : {};
  const schoolId = typeof source.schoolId === 'string' ? source.schoolId.trim() : '';
  const enrolmentCode = typeof source.enrolmentCode === 'string' ? source.enrolmentCode.trim() : '';
  return {
    serverUrl: httpUrl(source.serverUrl),
    schoolId: schoolId !== '' && schoolId.length <= MAX_SCHOOL_ID ? schoolId : null,
    mode: MODES.includes(source.mode) ? source.mode : DEFAULT_MODE,
    enabled: source.enabled !== false,
    userIdKey: typeof source.userIdKey === 'string' && SCHOOL_KEY.test(source.userIdKey.trim()) ? source.userIdKey.trim() : null,
    // Direct mode's one-time enrolment (docs/PROTOCOL.md section 2b).
    enrolmentCode: enrolmentCode !== '' && enrolmentCode.length <= MAX_ENROLMENT_CODE ? enrolmentCode : null,
    // The native host reads its pins from the machine's policy itself; kept here only as given, for the status page.
    pinSha256: Array.isArray(source.pinSha256) && source.pinSha256.every((pin) => typeof pin === 'string') ? [...source.pinSha256] : null,
  };
}

/** Reads chrome.storage.managed (slow) and caches the result. */
export async function refreshPolicy({ managed, session, log = console }) {
  let raw = {};
  try {
    raw = await managed.get(null);
  } catch (error) {
    // No policy support on this platform, or none set: the defaults apply.
    log.warn('eSafe: could not read the managed policy:', error?.message ?? error);
  }
  const policy = normalizePolicy(raw);
  try {
    await session.set({ [POLICY_KEY]: policy });
  } catch (error) {
    log.warn('eSafe: could not cache the policy:', error?.message ?? error);
  }
  return policy;
}

/** The cached policy, or a fresh read when there is none yet. */
export async function loadPolicy({ managed, session, log = console }) {
  try {
    const cached = (await session.get(POLICY_KEY))?.[POLICY_KEY];
    if (cached) {
      return normalizePolicy(cached);
    }
  } catch (error) {
    log.warn('eSafe: could not read the cached policy:', error?.message ?? error);
  }
  return refreshPolicy({ managed, session, log });
}
