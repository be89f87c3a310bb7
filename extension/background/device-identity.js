// @ts-check
// Who this device is, for direct mode (the native host names its own machine). On a managed
// Chromebook the extension, force-installed by policy, reads the Google Admin console's record of
// the device (chrome.enterprise.deviceAttributes: directory device ID, serial number, asset ID,
// location, hostname) and its addresses (chrome.enterprise.networkingAttributes). Elsewhere, or when
// ChromeOS gives nothing (not force-installed, or the signed-in user not affiliated with the domain
// that owns the device, when every value is an empty string), the device is a random ID made once per
// profile and kept in chrome.storage.local: it lasts until the extension is removed or the profile's
// data is cleared, and says nothing about the machine.

export const INSTALL_ID_KEY = 'device:installId';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_VALUE = 256;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:]{2,39}(%[0-9a-z]{1,16})?$/i;

// A value from the enterprise APIs: a trimmed string without control characters, or null.
function clean(value) {
  if (typeof value !== 'string') {
    return null;
  }
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return text === '' ? null : text.slice(0, MAX_VALUE);
}

function validAddress(value) {
  return typeof value === 'string' && (IPV4.test(value) || (value.includes(':') && IPV6.test(value)));
}

// Each call on its own: one failing (not affiliated, no network) leaves the others.
async function attempt(call, log) {
  try {
    return await call();
  } catch (error) {
    log.warn('eSafe: a device attribute could not be read:', error?.message ?? error);
    return null;
  }
}

const installIds = new WeakMap();

/**
 * The random ID of this install, made on first use and kept in chrome.storage.local.
 * @param {StorageArea} local
 * @param {() => string} [random]
 * @returns {Promise<string>}
 */
export function installId(local, random = () => crypto.randomUUID()) {
  if (!local) {
    return Promise.reject(new Error('chrome.storage.local is not available'));
  }
  if (!installIds.has(local)) {
    const pending = (async () => {
      const stored = (await local.get(INSTALL_ID_KEY))?.[INSTALL_ID_KEY];
      if (typeof stored === 'string' && UUID.test(stored)) {
        return stored;
      }
      const made = random();
      await local.set({ [INSTALL_ID_KEY]: made });
      return made;
    })();
    installIds.set(local, pending);
    pending.catch(() => installIds.delete(local));
  }
  return installIds.get(local);
}

async function enterpriseAttributes(attributes, log) {
  if (!attributes) {
    return {};
  }
  const read = (name) => (typeof attributes[name] === 'function' ? attempt(() => attributes[name](), log).then(clean) : Promise.resolve(null));
  const [directoryDeviceId, serialNumber, assetId, annotatedLocation, hostname] = await Promise.all([
    read('getDirectoryDeviceId'), read('getDeviceSerialNumber'), read('getDeviceAssetId'), read('getDeviceAnnotatedLocation'), read('getDeviceHostname'),
  ]);
  return { directoryDeviceId, serialNumber, assetId, annotatedLocation, hostname };
}

async function networkAddresses(networking, log) {
  if (typeof networking?.getNetworkDetails !== 'function') {
    return [];
  }
  const details = await attempt(() => networking.getNetworkDetails(), log);
  return [details?.ipv4, details?.ipv6].filter(validAddress);
}

/**
 * @param {object} [deps]
 * @param {{deviceAttributes?: object, networkingAttributes?: object}} [deps.enterprise]  chrome.enterprise, on a
 *        managed Chromebook
 * @param {StorageArea} [deps.local]  chrome.storage.local: the install ID
 * @param {() => string} [deps.random]  makes a new install ID
 * @param {Log} [deps.log]
 * @returns {Promise<{machineName: string, directoryDeviceId: string|null, serialNumber: string|null,
 *   assetId: string|null, annotatedLocation: string|null, ipAddresses: string[], installId: string,
 *   source: 'chromeos-enterprise'|'install-id'}>}
 *   machineName: the hostname the admin console gives the device, else its asset ID, serial number or
 *   directory device ID, else "browser-" and the start of the install ID.
 */
export async function readDeviceIdentity({
  enterprise = globalThis.chrome?.enterprise,
  local = globalThis.chrome?.storage?.local,
  random,
  log = console,
} = {}) {
  const [attributes, ipAddresses, id] = await Promise.all([
    enterpriseAttributes(enterprise?.deviceAttributes, log),
    networkAddresses(enterprise?.networkingAttributes, log),
    installId(local, random),
  ]);
  const { directoryDeviceId = null, serialNumber = null, assetId = null, annotatedLocation = null, hostname = null } = attributes;
  const managed = [directoryDeviceId, serialNumber, assetId, hostname].some((v) => v !== null);
  return {
    machineName: (managed && (hostname ?? assetId ?? serialNumber ?? directoryDeviceId)) || `browser-${id.slice(0, 8)}`,
    directoryDeviceId,
    serialNumber,
    assetId,
    annotatedLocation,
    ipAddresses,
    installId: id,
    source: managed ? 'chromeos-enterprise' : 'install-id',
  };
}
