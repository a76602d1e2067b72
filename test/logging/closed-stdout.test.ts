/**
 * `Console: true` behind a pipe whose reader goes away (`node app | head`, a restarting log shipper):
 * the process must keep running and say so once, not die of an unhandled EPIPE.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('a closed stdout does not crash a logger with Console on', { timeout: 30_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'eag-epipe-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'log-to-stdout.ts'), join(dir, 'logs')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Read the first chunk, then close our end of the pipe, as `| head -c 10` would.
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 0, `the child crashed:\n${stderr}`);
  assert.match(stderr, /child finished/);
  assert.equal(stderr.match(/console logging stopped/g)?.length, 1, stderr);
});
