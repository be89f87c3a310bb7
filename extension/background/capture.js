// @ts-check
// Screenshots for the host's 'capture' requests. Only a tab its window shows can be captured: a
// request for a tab that is not showing waits (up to PATIENCE_MS, inside the host's 5 s) for the pupil
// to switch to it, and is otherwise answered with the reason. Chrome allows captureVisibleTab twice a
// second, so calls are spaced at least 550 ms apart; requests wait their turn and every one gets an
// answer. A JPEG over MAX_JPEG_CHARS is made smaller (lower quality, then half size) before it goes.
// A capture that fails for a passing reason (a tab just getting its title or first paint gives "image
// readback failed") is tried again while the patience lasts; only Chrome's refusals (a URL it never
// lets an extension capture, a policy) are answered at once.

export const MIN_INTERVAL_MS = 550;
export const JPEG_QUALITY = 70;
// Lower qualities to try when the first JPEG is too big, then the last one at half the size.
export const SMALLER_QUALITIES = Object.freeze([50, 30]);
// The host waits 5 s for a reply; this leaves room for the capture itself and the reply.
export const PATIENCE_MS = 4000;
// How often a waiting request looks again when no tab or window event has come.
export const POLL_MS = 500;
// About 1 MB of JPEG, as base64: incidents stay small.
export const MAX_JPEG_CHARS = Math.floor(1.3 * 1024 * 1024);
const JPEG_PREFIX = 'data:image/jpeg;base64,';
const MAX_REQUEST_ID = 128;

export const REASONS = Object.freeze({
  notVisible: 'tab not visible',
  closed: 'tab closed',
  minimised: 'window minimised',
  refused: 'capture refused by Chrome for this URL',
  failed: 'capture failed',
  noJpeg: 'the browser returned no JPEG',
  tooBig: 'screenshot too large',
});

// Chrome's words for a capture it will not allow, however often it is asked: a page extensions may not
// read ("Cannot access contents of url …", "Missing host permission …"), screenshots turned off by
// policy ("Taking screenshots has been disabled", "Administrator policy disables screen capture …").
// Anything else ("Failed to capture tab: image readback failed", "… view is invisible") may pass, and
// so does 'Cannot access contents of url ""': a tab so new it has no page yet (seen in Chromium 156).
const REFUSAL = /cannot access|permission|disabled|policy/i;
const NO_PAGE_YET = /url ""/;

export function isRefusal(text) {
  return REFUSAL.test(text) && !NO_PAGE_YET.test(text);
}

function errorText(error) {
  return String(error?.message ?? error ?? 'capture failed') || 'capture failed';
}

/**
 * @param {object} deps
 * @param {{get: Function, captureVisibleTab: Function}} deps.tabs  chrome.tabs or a fake
 * @param {{get: Function}} [deps.windows]  chrome.windows or a fake (for minimised windows)
 * @param {(dataUrl: string, quality: number, scale: number) => Promise<string>} [deps.reencode]
 *        makes a JPEG data URL smaller; without it a smaller JPEG is captured again
 * @param {() => number} [deps.now]  milliseconds clock
 * @param {(ms: number) => Promise<void>} [deps.sleep]
 * @param {number} [deps.minIntervalMs]  between two captureVisibleTab calls
 * @param {number} [deps.patienceMs]  how long a request waits for its tab to show
 * @param {number} [deps.pollMs]  how often a waiting request looks again
 * @param {number} [deps.maxJpegChars]  the largest JPEG sent, in base64 characters
 * @param {Log} [deps.log]
 */
export function createCaptureService({
  tabs,
  windows = null,
  reencode = null,
  now = () => Date.now(),
  sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  minIntervalMs = MIN_INTERVAL_MS,
  patienceMs = PATIENCE_MS,
  pollMs = POLL_MS,
  maxJpegChars = MAX_JPEG_CHARS,
  log = console,
}) {
  let lastCallAt = -Infinity;
  /** @type {Promise<unknown>} */
  let turn = Promise.resolve();
  // Requests waiting for their tab to show; poke() wakes them all to look again.
  const wakers = new Set();

  /**
   * @template T
   * @param {() => Promise<T>} operation
   * @returns {Promise<T>}
   */
  function inTurn(operation) {
    const result = turn.then(operation);
    turn = result.catch(() => {});
    return result;
  }

  // Resolves after `ms`, or sooner on poke().
  function waitForChange(ms) {
    return /** @type {Promise<void>} */ (new Promise((resolve) => {
      let done = false;
      const wake = () => {
        if (!done) {
          done = true;
          wakers.delete(wake);
          resolve();
        }
      };
      wakers.add(wake);
      sleep(ms).then(wake);
    }));
  }

  /** {state: 'visible', tab} or {state: 'closed'|'hidden'|'minimised'}. */
  async function look(tabId) {
    let tab;
    try {
      tab = await tabs.get(tabId);
    } catch {
      return { state: 'closed' };
    }
    if (!tab) {
      return { state: 'closed' };
    }
    if (!tab.active) {
      return { state: 'hidden' };
    }
    if (windows && Number.isInteger(tab.windowId)) {
      try {
        const win = await windows.get(tab.windowId);
        if (win?.state === 'minimized') {
          return { state: 'minimised' };
        }
      } catch {
        return { state: 'closed' };
      }
    }
    return { state: 'visible', tab };
  }

  function reasonFor(state) {
    return state === 'closed' ? REASONS.closed : state === 'minimised' ? REASONS.minimised : REASONS.notVisible;
  }

  // Waits until the tab shows or the deadline passes.
  async function untilVisible(tabId, deadline) {
    for (;;) {
      const seen = await look(tabId);
      if (seen.state === 'visible' || seen.state === 'closed') {
        return seen;
      }
      const left = deadline - now();
      if (left <= 0) {
        return seen;
      }
      await waitForChange(Math.min(pollMs, left));
    }
  }

  // One captureVisibleTab call in its turn, spaced from the previous one; checks again that the tab
  // still shows, since it captures whatever the window shows at that moment.
  function captureInTurn(tabId, quality) {
    return inTurn(async () => {
      const wait = lastCallAt + minIntervalMs - now();
      if (wait > 0) {
        await sleep(wait);
      }
      const seen = await look(tabId);
      if (seen.state !== 'visible') {
        return { seen };
      }
      lastCallAt = now();
      try {
        const dataUrl = await tabs.captureVisibleTab(seen.tab.windowId, { format: 'jpeg', quality });
        return { seen, dataUrl };
      } catch (error) {
        return { seen, error };
      }
    });
  }

  // A data URL within the size limit: re-encoded smaller, or captured again smaller.
  async function smaller(tabId, dataUrl) {
    const steps = [...SMALLER_QUALITIES.map((q) => [q, 1]), [SMALLER_QUALITIES.at(-1), 0.5]];
    let best = dataUrl;
    for (const [quality, scale] of steps) {
      let next = null;
      try {
        if (reencode) {
          next = await reencode(dataUrl, quality, scale);
        } else if (scale === 1) {
          const again = await captureInTurn(tabId, quality);
          next = again.dataUrl ?? null;
        }
      } catch (error) {
        log.warn('eSafe: could not make the screenshot smaller:', errorText(error));
      }
      if (typeof next === 'string' && next.startsWith(JPEG_PREFIX) && next.length < best.length) {
        best = next;
      }
      if (best.length - JPEG_PREFIX.length <= maxJpegChars) {
        return best;
      }
    }
    return null;
  }

  async function captureOne(requestId, tabId) {
    const reply = (fields) => ({ type: 'capture-reply', requestId, ...fields });
    const deadline = now() + patienceMs;
    for (;;) {
      const seen = await untilVisible(tabId, deadline);
      if (seen.state !== 'visible') {
        return reply({ error: reasonFor(seen.state) });
      }
      const shot = await captureInTurn(tabId, JPEG_QUALITY);
      if (shot.seen.state !== 'visible') {
        // The pupil switched away while the request waited its turn: wait again if there is time.
        if (shot.seen.state === 'closed' || now() >= deadline) {
          return reply({ error: reasonFor(shot.seen.state) });
        }
        continue;
      }
      if (shot.error) {
        const text = errorText(shot.error);
        if (isRefusal(text)) {
          return reply({ error: `${REASONS.refused}: ${text}` });
        }
        // Tried again in its turn (spaced like every call), if that turn still comes within the patience.
        if (now() + minIntervalMs <= deadline) {
          log.warn('eSafe: screenshot failed, trying again:', text);
          continue;
        }
        return reply({ error: `${REASONS.failed}: ${text}` });
      }
      if (typeof shot.dataUrl !== 'string' || !shot.dataUrl.startsWith(JPEG_PREFIX)) {
        return reply({ error: REASONS.noJpeg });
      }
      const dataUrl = shot.dataUrl.length - JPEG_PREFIX.length <= maxJpegChars ? shot.dataUrl : await smaller(tabId, shot.dataUrl);
      if (dataUrl === null) {
        return reply({ error: REASONS.tooBig });
      }
      return reply({ jpeg: dataUrl.slice(JPEG_PREFIX.length) });
    }
  }

  return {
    /** Resolves to the message to send back: a capture-reply, or an error for a malformed request. */
    handle(request) {
      const { requestId, tabId } = request ?? {};
      if (typeof requestId !== 'string' || requestId.length === 0 || requestId.length > MAX_REQUEST_ID) {
        return Promise.resolve({ type: 'error', message: 'capture needs a requestId of 1 to 128 characters' });
      }
      if (!Number.isInteger(tabId) || tabId < 0) {
        return Promise.resolve({ type: 'capture-reply', requestId, error: 'tabId is not a tab ID' });
      }
      return captureOne(requestId, tabId).catch((error) => ({ type: 'capture-reply', requestId, error: errorText(error) }));
    },

    /** A tab was activated or removed, a window focused or resized: waiting requests look again. */
    poke() {
      for (const wake of [...wakers]) {
        wake();
      }
    },
  };
}
