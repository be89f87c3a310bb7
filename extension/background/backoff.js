// @ts-check
// Reconnect delays: 1 s, 2 s, 4 s … doubling up to 60 s, so a missing or crashing host costs the
// pupil's machine almost nothing.

export const FIRST_DELAY_MS = 1000;
export const MAX_DELAY_MS = 60_000;

/** The delay before reconnect attempt number `attempt` (0-based). */
export function backoffDelay(attempt, firstMs = FIRST_DELAY_MS, maxMs = MAX_DELAY_MS) {
  const n = Math.max(0, Math.min(attempt, 30));
  return Math.min(maxMs, firstMs * 2 ** n);
}

export function createBackoff(firstMs = FIRST_DELAY_MS, maxMs = MAX_DELAY_MS) {
  let attempt = 0;
  return {
    /** The next delay, growing each call. */
    next() {
      const delay = backoffDelay(attempt, firstMs, maxMs);
      attempt += 1;
      return delay;
    },
    reset() {
      attempt = 0;
    },
    get attempt() {
      return attempt;
    },
  };
}
