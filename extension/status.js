// @ts-check
// The status page for IT staff: what the service worker recorded in chrome.storage.session.
// Everything shown is set with textContent: host-supplied text is data, never markup.

const CONNECTION_KEY = 'connection';
const STATS_KEY = 'backlog:stats';
const POLICY_KEY = 'policy';
const TRANSPORT_KEY = 'transport';
export const SOURCES = ['typed', 'page', 'search'];
const SOURCE_NAMES = { typed: 'Typed text', page: 'Page text', search: 'Searches' };

function isMissing(detail) {
  return /not found/i.test(detail ?? '');
}

/** One line for the connection, from the record the service worker keeps. */
export function describeConnection(connection) {
  const { state, detail, hello } = connection ?? {};
  switch (state) {
    case 'open':
      if (!hello) {
        return 'connected, waiting for the host to answer';
      }
      return hello.ready ? 'connected' : `connected, host not ready: ${hello.problem ?? 'no reason given'}`;
    case 'connecting':
      return 'connecting to the host';
    case 'disconnected':
      if (isMissing(detail)) {
        return 'host missing (not installed for this browser)';
      }
      if (/forbidden/i.test(detail ?? '')) {
        return 'host refuses this extension (check allowed_origins)';
      }
      return `disconnected: ${detail ?? 'no reason given'}`;
    case 'unavailable':
    case 'disabled':
      return detail ?? state;
    default:
      return 'starting';
  }
}

function when(iso, locale) {
  return iso ? new Date(iso).toLocaleString(locale) : null;
}

/**
 * While there is no working connection: since when, how many tries, and that nothing is lost.
 * Null when connected (or monitoring is off).
 */
export function describeOutage(connection, stats, locale) {
  const { state, downSince, attempts } = connection ?? {};
  if (!connection || state === 'open' || state === 'disabled' || state === 'starting' || !downSince) {
    return null;
  }
  const waiting = stats?.count ?? 0;
  const parts = [`no connection since ${when(downSince, locale)}`];
  if (attempts) {
    parts.push(`${attempts} failed attempt${attempts === 1 ? '' : 's'}`);
  }
  if (state !== 'unavailable') {
    parts.push('trying again with back-off, at least once a minute while events wait');
  }
  parts.push(`${waiting} event${waiting === 1 ? '' : 's'} kept until the host takes them`);
  return parts.join('; ');
}

/** The threat library version: the connected host's, else the last one seen and when. */
export function describeLibrary(connection, locale) {
  const current = connection?.hello?.libraryVersion;
  if (current) {
    return current;
  }
  const last = connection?.lastHello;
  if (last?.libraryVersion) {
    return `${last.libraryVersion} (last seen ${when(last.at, locale)})`;
  }
  return null;
}

/** The host version, the same way. */
export function describeHost(connection, locale) {
  const current = connection?.hello?.hostVersion;
  if (current) {
    return current;
  }
  const last = connection?.lastHello;
  return last?.hostVersion ? `${last.hostVersion} (last seen ${when(last.at, locale)})` : null;
}

/**
 * The mode and what carries the events: auto's choice, and "host missing" while it sends directly
 * because no native host answers (a host that was removed, or never installed for this browser).
 */
export function describeMode(policyMode, transport, locale) {
  const mode = transport?.mode ?? policyMode ?? 'auto';
  if (!transport) {
    return mode;
  }
  const carrier = transport.transport === 'direct' ? 'direct to the server' : 'native host';
  if (transport.hostMissing) {
    return `${mode}: ${carrier}; host missing since ${when(transport.since, locale)}`;
  }
  return mode === 'auto' ? `auto: ${carrier}` : mode;
}

/** Rows for the per-source table: [name, waiting, sent, refused, dropped]. */
export function sourceRows(stats) {
  const sources = stats?.sources ?? {};
  // [waiting, sent, refused, dropped] of each source, then of all.
  const counts = SOURCES.map((s) => {
    const c = sources[s] ?? {};
    return [c.count ?? 0, c.delivered ?? 0, c.refused ?? 0, c.dropped ?? 0];
  });
  const total = [0, 1, 2, 3].map((i) => counts.reduce((sum, row) => sum + row[i], 0));
  // Events kept by an older version of the extension have no per-source counts.
  total[0] = Math.max(total[0], stats?.count ?? 0);
  total[3] = Math.max(total[3], stats?.dropped ?? 0);
  return [...SOURCES.map((s, k) => [SOURCE_NAMES[s], ...counts[k]]), ['All', ...total]];
}

function show(id, value) {
  document.getElementById(id).textContent = value === null || value === undefined || value === '' ? '—' : String(value);
}

function showRows(stats) {
  const body = document.getElementById('sources');
  body.replaceChildren(...sourceRows(stats).map((row) => {
    const tr = document.createElement('tr');
    row.forEach((value, i) => {
      const cell = document.createElement(i === 0 ? 'th' : 'td');
      cell.textContent = String(value);
      tr.append(cell);
    });
    return tr;
  }));
}

async function render() {
  const stored = await chrome.storage.session.get([CONNECTION_KEY, STATS_KEY, POLICY_KEY, TRANSPORT_KEY]);
  const connection = stored[CONNECTION_KEY];
  const stats = stored[STATS_KEY] ?? { count: 0, dropped: 0, bytes: 0 };
  show('connection', describeConnection(connection));
  show('since', when(connection?.since));
  show('outage', describeOutage(connection, stats));
  show('host-version', describeHost(connection));
  show('library-version', describeLibrary(connection));
  show('backlog', `${stats.count} (${Math.ceil((stats.bytes ?? 0) / 1024)} KB)`);
  show('dropped', stats.dropped ?? 0);
  showRows(stats);
  show('mode', describeMode(stored[POLICY_KEY]?.mode, stored[TRANSPORT_KEY]));
  show('extension-version', chrome.runtime.getManifest().version);
}

if (typeof document !== 'undefined' && globalThis.chrome?.storage) {
  render();
  chrome.storage.session.onChanged.addListener(() => render());
}
