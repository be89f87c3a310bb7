import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { readExtensionFile } from '../test-support/fakes.js';

const manifest = JSON.parse(readExtensionFile('manifest.json'));

// Chrome's extension ID: the first 128 bits of sha256(DER public key), hex digits mapped 0-f → a-p.
function extensionId(base64Key) {
  const digest = createHash('sha256').update(Buffer.from(base64Key, 'base64')).digest('hex').slice(0, 32);
  return [...digest].map((d) => String.fromCharCode(97 + parseInt(d, 16))).join('');
}

describe('manifest', () => {
  it('has the key that makes the ID in PROTOCOL.md', () => {
    assert.equal(extensionId(manifest.key), 'hiipfkacdajbinoadfgohldjcebaoijj');
  });

  it('is MV3 with the permissions the code uses', () => {
    assert.equal(manifest.manifest_version, 3);
    assert.equal(manifest.name, 'eSafe');
    assert.equal(manifest.version, '0.1.0');
    assert.equal(manifest.minimum_chrome_version, '120');
    // The enterprise ones work on ChromeOS for a force-installed extension; other platforms only warn.
    assert.deepEqual([...manifest.permissions].sort(), [
      'alarms', 'enterprise.deviceAttributes', 'enterprise.networkingAttributes', 'identity', 'identity.email', 'nativeMessaging', 'storage', 'tabs',
    ]);
    assert.deepEqual(manifest.host_permissions, ['<all_urls>']);
    assert.deepEqual(manifest.background, { service_worker: 'background/service-worker.js', type: 'module' });
    assert.deepEqual(manifest.storage, { managed_schema: 'managed_schema.json' });
  });

  it('runs each core before its script in every http(s) frame: typing (and the relay both use) from document start, page text once the page is idle', () => {
    // Page text waits for the load anyway; injecting it later keeps its compile out of the page's
    // first task (the injection at document start is one task for all the scripts it runs).
    const [typing, pageText] = manifest.content_scripts;
    assert.equal(manifest.content_scripts.length, 2);
    for (const script of [typing, pageText]) {
      assert.deepEqual(script.matches, ['http://*/*', 'https://*/*']);
      assert.equal(script.all_frames, true);
      assert.equal(script.match_about_blank, true);
    }
    assert.equal(typing.run_at, 'document_start');
    assert.deepEqual(typing.js, ['content/relay-core.js', 'content/capture-core.js', 'content/typing.js']);
    assert.equal(pageText.run_at, 'document_idle');
    assert.deepEqual(pageText.js, ['content/page-text-core.js', 'content/page-text.js']);
  });

  it('names only files that exist', () => {
    for (const path of [manifest.background.service_worker, manifest.storage.managed_schema, ...manifest.content_scripts.flatMap((c) => c.js), 'status.html', 'status.js']) {
      assert.ok(existsSync(new URL(`../${path}`, import.meta.url)), path);
    }
  });

  it('content scripts are classic scripts (no import or export)', () => {
    for (const path of manifest.content_scripts.flatMap((c) => c.js)) {
      assert.doesNotMatch(readExtensionFile(path), /^\s*(import|export)\s/m, path);
    }
  });
});
