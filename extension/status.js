// The status page for IT staff: what the service worker recorded in chrome.storage.session.
// Everything shown is set with textContent: host-supplied text is data, never markup.

const CONNECTION_KEY = 'connection';
const STATS_KEY = 'backlog:stats';
const POLICY_KEY = 'policy';

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
      if (/not found/i.test(detail ?? '')) {
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

function show(id, value) {
  document.getElementById(id).textContent = value === null || value === undefined || value === '' ? '—' : String(value);
}

async function render() {
  const stored = await chrome.storage.session.get([CONNECTION_KEY, STATS_KEY, POLICY_KEY]);
  const connection = stored[CONNECTION_KEY];
  const stats = stored[STATS_KEY] ?? { count: 0, dropped: 0, bytes: 0 };
  show('connection', describeConnection(connection));
  show('since', connection?.since ? new Date(connection.since).toLocaleString() : null);
  show('host-version', connection?.hello?.hostVersion);
  show('library-version', connection?.hello?.libraryVersion);
  show('backlog', `${stats.count} (${Math.ceil((stats.bytes ?? 0) / 1024)} KB)`);
  show('dropped', stats.dropped ?? 0);
  show('mode', stored[POLICY_KEY]?.mode ?? 'native');
  show('extension-version', chrome.runtime.getManifest().version);
}

if (typeof document !== 'undefined' && globalThis.chrome?.storage) {
  render();
  chrome.storage.session.onChanged.addListener(() => render());
}
