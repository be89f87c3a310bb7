import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_POLICY, loadPolicy, normalizePolicy, POLICY_KEY, refreshPolicy } from '../background/policy.js';
import { fakeStorage, readExtensionFile, silentLog } from '../test-support/fakes.js';

function managed(values, { fails = false } = {}) {
  let reads = 0;
  return {
    get reads() {
      return reads;
    },
    async get() {
      reads += 1;
      if (fails) {
        throw new Error('managed storage is not available');
      }
      return values;
    },
  };
}

describe('policy', () => {
  it('has safe defaults when nothing is set', async () => {
    assert.deepEqual(normalizePolicy({}), DEFAULT_POLICY);
    assert.deepEqual(normalizePolicy(undefined), DEFAULT_POLICY);
    assert.deepEqual(await loadPolicy({ managed: managed({}, { fails: true }), session: fakeStorage(), log: silentLog }), DEFAULT_POLICY);
  });

  it('takes good values and replaces bad ones', () => {
    const key = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
    assert.deepEqual(normalizePolicy({ serverUrl: 'https://esafe.example.org', schoolId: ' s-1 ', mode: 'direct', enabled: false, userIdKey: ` ${key} `, enrolmentCode: ' ABCD-EFGH ',
      pinSha256: ['pin-a', 'pin-b'] }),
      { serverUrl: 'https://esafe.example.org/', schoolId: 's-1', mode: 'direct', enabled: false, userIdKey: key, enrolmentCode: 'ABCD-EFGH',
        pinSha256: ['pin-a', 'pin-b'] });
    assert.deepEqual(normalizePolicy({ serverUrl: 'javascript:alert(1)', schoolId: 7, mode: 'carrier-pigeon', enabled: 'no', userIdKey: 'c2hvcnQ=',
      enrolmentCode: 'x'.repeat(129), pinSha256: ['pin', 7] }), DEFAULT_POLICY);
  });

  it('takes a school user-ID key only when it is 32 bytes in base64', () => {
    for (const bad of [42, '', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==', `${'A'.repeat(43)}=x`]) {
      assert.equal(normalizePolicy({ userIdKey: bad }).userIdKey, null, String(bad));
    }
  });

  it('reads managed storage once and then the session cache', async () => {
    const session = fakeStorage();
    const admin = managed({ mode: 'native', schoolId: 'abc' });
    const first = await loadPolicy({ managed: admin, session, log: silentLog });
    const second = await loadPolicy({ managed: admin, session, log: silentLog });
    assert.equal(admin.reads, 1);
    assert.deepEqual(first, second);
    assert.equal(session.snapshot()[POLICY_KEY].schoolId, 'abc');
  });

  it('refresh reads managed storage again', async () => {
    const session = fakeStorage();
    await loadPolicy({ managed: managed({ mode: 'native' }), session, log: silentLog });
    await refreshPolicy({ managed: managed({ mode: 'direct' }), session, log: silentLog });
    assert.equal((await loadPolicy({ managed: managed({}), session, log: silentLog })).mode, 'direct');
  });

  it('matches managed_schema.json', () => {
    const schema = JSON.parse(readExtensionFile('managed_schema.json'));
    assert.equal(schema.type, 'object');
    assert.deepEqual(Object.keys(schema.properties).sort(), Object.keys(DEFAULT_POLICY).sort());
    assert.deepEqual(schema.properties.mode.enum, ['auto', 'native', 'direct']);
    assert.match(schema.properties.mode.description, /Default: auto/);
  });

  it('takes each mode, and auto when none or another is set', () => {
    assert.equal(DEFAULT_POLICY.mode, 'auto');
    for (const mode of ['auto', 'native', 'direct']) {
      assert.equal(normalizePolicy({ mode }).mode, mode);
    }
    for (const mode of [undefined, '', 'Native', 'host', 3, null]) {
      assert.equal(normalizePolicy({ mode }).mode, 'auto', String(mode));
    }
  });
});
