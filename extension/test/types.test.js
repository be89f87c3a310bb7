// The extension's JS type-checked by TypeScript from its JSDoc (tsconfig.json: every file that starts
// with // @ts-check), as part of the node test run. typescript comes from npm (package.json's
// devDependencies; build.cake's Test target runs npm ci here).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
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

  it('checks every content script', () => {
    const content = new URL('../content/', import.meta.url);
    for (const file of readdirSync(content).filter((f) => f.endsWith('.js'))) {
      assert.match(readFileSync(new URL(file, content), 'utf8'), /^\/\/ @ts-check\n/, file);
    }
  });
});
