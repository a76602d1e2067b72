/**
 * Issue 9: the route cache is bounded in bytes, not only in entries. 10,000 distinct 16 KB URLs
 * (attacker-chosen) must grow the heap by less than 20 MB, whether the 16 KB is in the path or in a
 * query string behind a short path. Measured in a child process with --expose-gc; no timing.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./fixtures/route-cache-flood.ts', import.meta.url));
const LIMIT = 20 * 1024 * 1024;

describe('route cache memory', () => {
  for (const shape of ['path', 'query'] as const) {
    it(`10,000 distinct 16 KB URLs (16 KB in the ${shape}) grow the heap by less than 20 MB`, (t) => {
      const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script, shape, '10000'], { encoding: 'utf8', timeout: 60_000 });
      const result = JSON.parse(output) as { growthBytes: number; passed: number; gc: boolean };
      assert.equal(result.gc, true, 'the child ran with --expose-gc');
      assert.equal(result.passed, 10_000, 'every request went through the limiter');
      t.diagnostic(`heap growth after 10,000 URLs of 16 KB (${shape}): ${(result.growthBytes / 1024 / 1024).toFixed(1)} MB`);
      assert.ok(result.growthBytes < LIMIT, `heap grew by ${(result.growthBytes / 1024 / 1024).toFixed(1)} MB`);
    });
  }
});
