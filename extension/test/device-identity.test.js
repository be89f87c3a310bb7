import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INSTALL_ID_KEY, readDeviceIdentity } from '../background/device-identity.js';
import { fakeStorage, silentLog } from '../test-support/fakes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// chrome.enterprise as ChromeOS gives it to a force-installed extension: promise-returning getters.
function fakeEnterprise({ directoryDeviceId = '', serialNumber = '', assetId = '', annotatedLocation = '', hostname = '', network = null, networkError = null } = {}) {
  const calls = [];
  const getter = (name, value) => async () => {
    calls.push(name);
    return value;
  };
  return {
    calls,
    deviceAttributes: {
      getDirectoryDeviceId: getter('getDirectoryDeviceId', directoryDeviceId),
      getDeviceSerialNumber: getter('getDeviceSerialNumber', serialNumber),
      getDeviceAssetId: getter('getDeviceAssetId', assetId),
      getDeviceAnnotatedLocation: getter('getDeviceAnnotatedLocation', annotatedLocation),
      getDeviceHostname: getter('getDeviceHostname', hostname),
    },
    networkingAttributes: {
      async getNetworkDetails() {
        calls.push('getNetworkDetails');
        if (networkError) {
          throw new Error(networkError);
        }
        return network;
      },
    },
  };
}

describe('device identity', () => {
  it('on a managed Chromebook: the admin console record and the addresses', async () => {
    const enterprise = fakeEnterprise({
      directoryDeviceId: 'a1b2c3d4-0000-4000-8000-00000000beef',
      serialNumber: '5CD1234XYZ',
      assetId: ' LIB-CB-0042 ',
      annotatedLocation: 'Library, first floor',
      hostname: 'cb-lib-42',
      network: { macAddress: '00:11:22:33:44:55', ipv4: '192.0.2.17', ipv6: '2001:db8::17' },
    });
    const local = fakeStorage();
    const identity = await readDeviceIdentity({ enterprise, local, log: silentLog });
    assert.deepEqual({ ...identity, installId: undefined }, {
      machineName: 'cb-lib-42',
      directoryDeviceId: 'a1b2c3d4-0000-4000-8000-00000000beef',
      serialNumber: '5CD1234XYZ',
      assetId: 'LIB-CB-0042',
      annotatedLocation: 'Library, first floor',
      ipAddresses: ['192.0.2.17', '2001:db8::17'],
      installId: undefined,
      source: 'chromeos-enterprise',
    });
    assert.match(identity.installId, UUID);
    assert.deepEqual(enterprise.calls.sort(), ['getDeviceAnnotatedLocation', 'getDeviceAssetId', 'getDeviceHostname', 'getDeviceSerialNumber', 'getDirectoryDeviceId', 'getNetworkDetails']);
  });

  it('names the machine by hostname, else asset ID, else serial number, else directory ID', async () => {
    const table = [
      [{ hostname: 'h', assetId: 'a', serialNumber: 's', directoryDeviceId: 'd' }, 'h'],
      [{ assetId: 'a', serialNumber: 's', directoryDeviceId: 'd' }, 'a'],
      [{ serialNumber: 's', directoryDeviceId: 'd' }, 's'],
      [{ directoryDeviceId: 'd' }, 'd'],
    ];
    for (const [values, name] of table) {
      const identity = await readDeviceIdentity({ enterprise: fakeEnterprise(values), local: fakeStorage(), log: silentLog });
      assert.equal(identity.machineName, name, JSON.stringify(values));
      assert.equal(identity.source, 'chromeos-enterprise');
    }
  });

  it('elsewhere: a random install ID, made once and kept in chrome.storage.local', async () => {
    const local = fakeStorage();
    const first = await readDeviceIdentity({ enterprise: undefined, local, log: silentLog });
    assert.match(first.installId, UUID);
    assert.deepEqual({ ...first, installId: undefined }, {
      machineName: `browser-${first.installId.slice(0, 8)}`,
      directoryDeviceId: null,
      serialNumber: null,
      assetId: null,
      annotatedLocation: null,
      ipAddresses: [],
      installId: undefined,
      source: 'install-id',
    });
    assert.equal(local.snapshot()[INSTALL_ID_KEY], first.installId);
    // A restarted worker (a fresh storage object on the same data) reads the same ID.
    const again = await readDeviceIdentity({ enterprise: undefined, local: fakeStorage(local.snapshot()), log: silentLog });
    assert.equal(again.installId, first.installId);
    // Another profile gets another.
    assert.notEqual((await readDeviceIdentity({ local: fakeStorage(), log: silentLog })).installId, first.installId);
  });

  it('on ChromeOS with a user not affiliated (every value empty, no network details): the install ID', async () => {
    const enterprise = fakeEnterprise({ networkError: 'The user is not affiliated.' });
    const identity = await readDeviceIdentity({ enterprise, local: fakeStorage(), log: silentLog });
    assert.equal(identity.source, 'install-id');
    assert.deepEqual(identity.ipAddresses, []);
    assert.match(identity.machineName, /^browser-[0-9a-f]{8}$/);
  });

  it('one failing call leaves the others, and odd values are cleaned or left out', async () => {
    const enterprise = fakeEnterprise({ serialNumber: 'SER\u0000IAL\n', network: { ipv4: '999.1.1.1', ipv6: '<script>' } });
    enterprise.deviceAttributes.getDeviceAssetId = async () => {
      throw new Error('Internal error');
    };
    enterprise.deviceAttributes.getDeviceHostname = undefined; // before Chrome 82
    const identity = await readDeviceIdentity({ enterprise, local: fakeStorage(), log: silentLog });
    assert.equal(identity.serialNumber, 'SERIAL');
    assert.equal(identity.assetId, null);
    assert.equal(identity.machineName, 'SERIAL');
    assert.deepEqual(identity.ipAddresses, []);
    const long = await readDeviceIdentity({ enterprise: fakeEnterprise({ assetId: 'x'.repeat(1000) }), local: fakeStorage(), log: silentLog });
    assert.equal(long.assetId.length, 256);
  });

  it('replaces a stored install ID that is not one', async () => {
    const local = fakeStorage({ [INSTALL_ID_KEY]: 'not-a-uuid' });
    const identity = await readDeviceIdentity({ local, log: silentLog });
    assert.match(identity.installId, UUID);
    assert.equal(local.snapshot()[INSTALL_ID_KEY], identity.installId);
  });

  it('two callers at once share one install ID', async () => {
    const local = fakeStorage();
    const [a, b] = await Promise.all([readDeviceIdentity({ local, log: silentLog }), readDeviceIdentity({ local, log: silentLog })]);
    assert.equal(a.installId, b.installId);
    assert.equal(local.calls.set, 1);
  });
});
