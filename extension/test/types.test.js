// The extension's JS type-checked by TypeScript from its JSDoc (tsconfig.json: every file that starts
// with // @ts-check, which every script the extension ships must), as part of the node test run. typescript comes from npm (package.json's
// devDependencies; build.cake's Test target runs npm ci here).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const extension = fileURLToPath(new URL('../', import.meta.url));
const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));

describe('types', () => {
  it('tsc --noEmit finds no error in the files that opt in with // @ts-check (checkJs per file)', () => {
    assert.ok(existsSync(tsc), `typescript is not installed: run npm ci in ${extension}`);
    const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit'], { cwd: extension, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
  });

  it('checks every script the extension ships: each starts with // @ts-check and tsc reads it', () => {
    const shipped = shippedScripts(extension);
    assert.ok(shipped.includes('background/service-worker.js') && shipped.includes('content/typing.js') && shipped.includes('status.js'), shipped.join(', '));
    const unchecked = shipped.filter((file) => !/^\/\/ @ts-check\n/.test(readFileSync(join(extension, file), 'utf8')));
    assert.deepEqual(unchecked, [], 'these scripts do not start with // @ts-check');
    const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--listFilesOnly'], { cwd: extension, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
    const read = new Set(run.stdout.split('\n').filter((line) => line !== '').map((line) => relative(extension, line).split(sep).join('/')));
    assert.deepEqual(shipped.filter((file) => !read.has(file)), [], 'these scripts are outside tsconfig.json\'s include');
  });
});

// Every .js file of the extension but its node tests and their helpers (node code, not shipped) and node_modules.
function shippedScripts(root, under = '') {
  const files = [];
  for (const entry of readdirSync(join(root, under), { withFileTypes: true })) {
    const path = under === '' ? entry.name : `${under}/${entry.name}`;
    if (entry.isDirectory() && !NOT_SHIPPED.has(path)) {
      files.push(...shippedScripts(root, path));
    } else if (entry.isFile() && entry.name.endsWith('.js')) {
      files.push(path);
    }
  }
  return files.sort();
}

const NOT_SHIPPED = new Set(['node_modules', 'test', 'test-support']);
