// Screenshots for the host's 'capture' requests. Chrome allows captureVisibleTab twice a second, so
// calls are spaced at least 550 ms apart; requests wait in a queue and every one gets an answer.

export const MIN_INTERVAL_MS = 550;
export const JPEG_QUALITY = 70;
const JPEG_PREFIX = 'data:image/jpeg;base64,';
const MAX_REQUEST_ID = 128;

function errorText(error) {
  return String(error?.message ?? error ?? 'capture failed') || 'capture failed';
}

/**
 * @param {object} deps
 * @param {{get: Function, captureVisibleTab: Function}} deps.tabs  chrome.tabs or a fake
 * @param {() => number} [deps.now]  milliseconds clock
 * @param {(ms: number) => Promise<void>} [deps.sleep]
 */
export function createCaptureService({
  tabs,
  now = () => Date.now(),
  sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  minIntervalMs = MIN_INTERVAL_MS,
}) {
  let lastCallAt = -Infinity;
  let queue = Promise.resolve();

  async function visibleTab(tabId) {
    const tab = await tabs.get(tabId);
    return tab?.active ? tab : null;
  }

  async function captureOne(requestId, tabId) {
    const reply = (fields) => ({ type: 'capture-reply', requestId, ...fields });
    try {
      // Asked first so a hidden tab is answered at once, without waiting its turn at the rate limit.
      let tab = await visibleTab(tabId);
      if (!tab) {
        return reply({ error: 'tab not visible' });
      }
      const wait = lastCallAt + minIntervalMs - now();
      if (wait > 0) {
        await sleep(wait);
        // captureVisibleTab takes whatever the window shows now: make sure it is still this tab.
        tab = await visibleTab(tabId);
        if (!tab) {
          return reply({ error: 'tab not visible' });
        }
      }
      lastCallAt = now();
      const dataUrl = await tabs.captureVisibleTab(tab.windowId, { format: 'jpeg', quality: JPEG_QUALITY });
      if (typeof dataUrl !== 'string' || !dataUrl.startsWith(JPEG_PREFIX)) {
        return reply({ error: 'the browser returned no JPEG' });
      }
      return reply({ jpeg: dataUrl.slice(JPEG_PREFIX.length) });
    } catch (error) {
      return reply({ error: errorText(error) });
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
      const result = queue.then(() => captureOne(requestId, tabId));
      queue = result.catch(() => {});
      return result;
    },
  };
}
