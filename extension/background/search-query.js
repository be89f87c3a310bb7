// @ts-check
// Search queries from the URLs of common search engines and video and social sites. The service
// worker sees every navigation of every tab (chrome.tabs.onUpdated, including the history.pushState
// navigations of single-page apps such as YouTube), so it reads queries from there at no cost to the
// page; a content script would have to hook history in every frame of every page for the same result.

export const MAX_QUERY = 1024;

// Registrable names of Google's search domains: google.com, google.co.uk, google.com.au, google.de …
const GOOGLE = /(^|\.)google\.(com|[a-z]{2,3}|co\.[a-z]{2}|com\.[a-z]{2})$/;

function param(url, ...names) {
  for (const name of names) {
    const value = url.searchParams.get(name);
    if (value !== null) {
      return value;
    }
  }
  return null;
}

function hashParam(url, name) {
  if (url.hash.length < 2) {
    return null;
  }
  return new URLSearchParams(url.hash.slice(1)).get(name);
}

function host(url) {
  return url.hostname.toLowerCase().replace(/^(www|m|mobile)\./, '');
}

// A path segment, decoded; null when it is missing or not valid percent-encoding.
function segment(path, index) {
  const part = path.split('/')[index];
  if (!part) {
    return null;
  }
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

// [engine, matches(host, path), query(url, path)]; the first engine whose host and path match decides.
/** @type {Array<[string, (h: string, p: string) => boolean, (u: URL, p: string) => string | null]>} */
const ENGINES = [
  ['google', (h, p) => GOOGLE.test(h) && (p === '/search' || p === '/webhp' || p === '/'),
    (u) => param(u, 'q') ?? hashParam(u, 'q')],
  ['bing', (h, p) => h === 'bing.com' || h.endsWith('.bing.com') ? /^\/(images\/|videos\/|news\/|shop\/)?search$/.test(p) : false,
    (u) => param(u, 'q')],
  ['duckduckgo', (h, p) => (h === 'duckduckgo.com' && p === '/') || (h === 'html.duckduckgo.com' && p.startsWith('/html')) || (h === 'lite.duckduckgo.com' && p.startsWith('/lite')),
    (u) => param(u, 'q')],
  ['yahoo', (h, p) => /(^|\.)search\.yahoo\.com$/.test(h) && /^\/(search|yhs\/search)/.test(p),
    (u) => param(u, 'p', 'q')],
  ['ecosia', (h, p) => h === 'ecosia.org' && /^\/(search|images|videos|news)$/.test(p),
    (u) => param(u, 'q')],
  ['brave', (h, p) => h === 'search.brave.com' && /^\/(search|images|videos|news)$/.test(p),
    (u) => param(u, 'q')],
  ['startpage', (h, p) => h === 'startpage.com' && /^\/(sp\/search|do\/search|search)/.test(p),
    (u) => param(u, 'query', 'q')],
  ['yandex', (h, p) => /^yandex\.[a-z.]+$/.test(h) && /^\/(search|images\/search|video\/search)\/?$/.test(p),
    (u) => param(u, 'text')],
  ['youtube', (h, p) => (h === 'youtube.com' || h === 'music.youtube.com') && (p === '/results' || p === '/search'),
    (u) => param(u, 'search_query', 'q')],
  ['tiktok', (h, p) => h === 'tiktok.com' && /^\/search(\/(video|user|live|photo))?\/?$/.test(p),
    (u) => param(u, 'q')],
  ['tiktok', (h, p) => h === 'tiktok.com' && /^\/tag\/[^/]+\/?$/.test(p),
    (_u, p) => segment(p, 2)],
  ['instagram', (h, p) => h === 'instagram.com' && /^\/explore\/search\/keyword\/?$/.test(p),
    (u) => param(u, 'q')],
  ['instagram', (h, p) => h === 'instagram.com' && /^\/explore\/tags\/[^/]+\/?$/.test(p),
    (_u, p) => segment(p, 3)],
  ['reddit', (h, p) => (h === 'reddit.com' || h === 'old.reddit.com' || h === 'new.reddit.com') && /^(\/r\/[^/]+)?\/search\/?$/.test(p),
    (u) => param(u, 'q')],
  ['twitter', (h, p) => (h === 'twitter.com' || h === 'x.com') && p === '/search',
    (u) => param(u, 'q')],
  ['twitter', (h, p) => (h === 'twitter.com' || h === 'x.com') && /^\/hashtag\/[^/]+\/?$/.test(p),
    (_u, p) => segment(p, 2)],
  ['pinterest', (h, p) => /^([a-z]{2}\.)?pinterest\.(com|co\.uk|[a-z]{2}|com\.[a-z]{2})$/.test(h) && /^\/search\/[a-z]+\/?$/.test(p),
    (u) => param(u, 'q')],
  ['wikipedia', (h, p) => h.endsWith('.wikipedia.org') && (p === '/w/index.php' || p.startsWith('/wiki/Special:Search')),
    (u) => param(u, 'search')],
];

/** The query text as a pupil would have typed it: spaces collapsed, trimmed, capped. */
export function cleanQuery(raw) {
  if (typeof raw !== 'string') {
    return '';
  }
  const text = raw.replace(/\s+/g, ' ').trim();
  return text.length <= MAX_QUERY ? text : text.slice(0, MAX_QUERY);
}

/** {engine, query} for a search results URL, or null for any other URL. */
export function searchQuery(href) {
  if (typeof href !== 'string' || href.length > 16 * 1024) {
    return null;
  }
  let url;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return null;
  }
  const h = host(url);
  const path = url.pathname;
  for (const [engine, matches, read] of ENGINES) {
    if (matches(h, path)) {
      const query = cleanQuery(read(url, path));
      return query === '' ? null : { engine, query };
    }
  }
  return null;
}

const normal = (text) => text.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * The fieldId of a search: `query:<engine>:<query>` (lower case, spaces collapsed, at most 128
 * characters). The host keys repeats on a fieldId, so the search and its results page's text, which
 * carries the same fieldId (text-event.js), are one event: a phrase from the search that the results
 * page repeats (a snippet quoting it) is a repeat of the search's hit, not a second incident. A
 * different query is another field, so another search with the same phrase is another incident.
 * (Not `search:…`: the host keys fieldIds that start so, an older extension's, on URL and context.)
 * @param {SearchQuery} search
 */
export function searchFieldId({ engine, query }) {
  return `query:${engine}:${normal(query)}`.slice(0, MAX_SEARCH_FIELD_ID);
}

const MAX_SEARCH_FIELD_ID = 128;

/**
 * Which queries to send: once per search in a tab (a results page that changes its URL, turns a page
 * or switches to images keeps its query and is not sent again), and not when the pupil typed the same
 * words in that tab a moment ago (the typed text went to the host already, with the same words).
 * In memory: a restarted worker may send one query again; the host's repeat filter drops it.
 * It also says which field a results page's text belongs to (fieldOf): the search's own, or the
 * typed field the search came from when the typed text stood for the search.
 * @param {object} [deps]
 * @param {() => number} [deps.now]  milliseconds clock
 * @param {number} [deps.typedWindowMs]  how long typed text stands for a search of the same words
 * @param {number} [deps.maxTyped]  typed texts remembered a tab
 */
export function createSearchFilter({ now = () => Date.now(), typedWindowMs = 2 * 60 * 1000, maxTyped = 10 } = {}) {
  /** @type {Map<number, {key: string, fieldId: string}>} the tab's last search, and the field its event has */
  const lastByTab = new Map();
  /** @type {Map<number, Array<{text: string, fieldId: string|null, at: number}>>} */
  const typedByTab = new Map();

  return {
    /**
     * Typed text from a tab, so a search for the same words is not sent twice.
     * @param {number} tabId
     * @param {string} text
     * @param {string|null} [fieldId]  the typed event's
     */
    noteTyped(tabId, text, fieldId = null) {
      if (typeof text !== 'string' || text.trim() === '') {
        return;
      }
      const list = (typedByTab.get(tabId) ?? []).filter((e) => now() - e.at < typedWindowMs);
      list.push({ text: normal(text.slice(-4096)), fieldId, at: now() });
      typedByTab.set(tabId, list.slice(-maxTyped));
    },

    /**
     * True when this search in this tab should become an event (and remembers it).
     * @param {number} tabId
     * @param {SearchQuery} search
     */
    shouldSend(tabId, search) {
      const key = `${search.engine}\n${search.query.toLowerCase()}`;
      if (lastByTab.get(tabId)?.key === key) {
        return false;
      }
      const q = normal(search.query);
      const typed = (typedByTab.get(tabId) ?? []).findLast((e) => now() - e.at < typedWindowMs && e.text.includes(q));
      lastByTab.set(tabId, { key, fieldId: typed?.fieldId ?? searchFieldId(search) });
      return typed === undefined;
    },

    /**
     * The fieldId for the text of this search's results page in this tab: the typed field's when the
     * pupil typed the search there (that event stands for the search), else the search's own.
     * @param {number} tabId
     * @param {SearchQuery} search
     */
    fieldOf(tabId, search) {
      const last = lastByTab.get(tabId);
      return last?.key === `${search.engine}\n${search.query.toLowerCase()}` ? last.fieldId : searchFieldId(search);
    },

    /** @param {number} tabId */
    forgetTab(tabId) {
      lastByTab.delete(tabId);
      typedByTab.delete(tabId);
    },
  };
}

// While a page loads, Chrome's tab title is its URL without the scheme.
function knownTitle(tab, url) {
  const title = typeof tab?.title === 'string' ? tab.title.trim() : '';
  return title !== '' && !url.includes(title);
}

/**
 * Turns tabs.onUpdated into search events. A search is held until the tab has a title of its own (a
 * new title after its URL changed), for at most waitMs, so the event carries the results page's title
 * ("sad songs - YouTube"), not the one of the page before or the URL.
 * @param {object} deps
 * @param {ReturnType<typeof createSearchFilter>} deps.filter
 * @param {(search: SearchQuery, tab: {id: number, url?: string, title?: string}, url: string, at: Date) => void} deps.emit
 *        `at` is when the search was made (the URL changed), not when the title came
 * @param {(fn: Function, ms: number) => any} [deps.setTimer]
 * @param {(handle: any) => void} [deps.clearTimer]
 * @param {() => Date} [deps.now]
 * @param {number} [deps.waitMs]  how long a search waits for the results page's title
 */
export function createSearchWatcher({
  filter,
  emit,
  setTimer = (fn, ms) => setTimeout(fn, ms),
  clearTimer = (h) => clearTimeout(h),
  now = () => new Date(),
  waitMs = 3000,
}) {
  const pending = new Map(); // tabId → {search, url, tab, at, timer}

  function fire(tabId) {
    const held = pending.get(tabId);
    if (!held) {
      return;
    }
    pending.delete(tabId);
    clearTimer(held.timer);
    emit(held.search, { ...held.tab, id: tabId }, held.url, held.at);
  }

  return {
    onUpdated(tabId, changeInfo, tab) {
      if (typeof changeInfo?.url === 'string') {
        fire(tabId); // the search before, with what it had
        const search = searchQuery(changeInfo.url);
        if (search !== null && filter.shouldSend(tabId, search)) {
          const timer = setTimer(() => fire(tabId), waitMs);
          // Until a new title comes, the page before's title stands in (a single-page app's
          // navigation often keeps the site's name, and Chrome reports it again as a change).
          const before = knownTitle(tab, changeInfo.url) ? tab.title : null;
          pending.set(tabId, { search, url: changeInfo.url, tab: { ...tab, title: before }, before, at: now(), timer });
        }
        return;
      }
      const held = pending.get(tabId);
      if (held && (typeof changeInfo?.title === 'string' || changeInfo?.status === 'complete')) {
        const known = knownTitle(tab, held.url);
        if (known) {
          held.tab.title = tab.title;
        }
        // A single-page app's navigation completes at once and sets its title after: only a new title
        // ends the wait early (else the timer does, with the title before).
        if ((known && tab.title !== held.before) || (changeInfo.status === 'complete' && held.before === null)) {
          fire(tabId);
        }
      }
    },

    /** A closed tab's held search goes now. */
    onRemoved(tabId) {
      fire(tabId);
      filter.forgetTab(tabId);
    },

    get pendingCount() {
      return pending.size;
    },
  };
}
