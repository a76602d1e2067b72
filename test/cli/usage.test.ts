import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli } from './helpers.js';

const CASES: readonly [string, string[], RegExp][] = [
  ['no command', [], /Usage: express-api-guard <command>/],
  ['an unknown command', ['doktor'], /unknown command doktor \(did you mean "doctor"\?\)/],
  ['a command far from any', ['frobnicate'], /unknown command frobnicate\n/],
  ['an unknown flag', ['doctor', '--jsn'], /error: unknown option --jsn\n\nUsage: express-api-guard doctor/],
  ['a flag without its value', ['doctor', '--config-dir'], /error: option --config-dir needs a value/],
  ['a flag followed by another flag', ['doctor', '--environment', '--json'], /option --environment needs a value/],
  ['a bad timeout', ['doctor', '--sql-timeout', 'soon'], /--sql-timeout must be a whole number/],
  ['a stray argument', ['doctor', 'extra'], /doctor takes no arguments/],
  ['trace without an ID', ['trace'], /trace needs a trace ID\n\nUsage: express-api-guard trace/],
  ['trace with a bad --since', ['trace', '0HMGDP8E63BDF:00000004', '--since', 'yesterday'], /--since takes an age/],
];

// Each test spawns the CLI and waits on it; running a few at once keeps the folder fast.
describe('usage', { concurrency: 3 }, () => {
  for (const [what, args, expected] of CASES) {
    test(`usage error: ${what} exits 2 with the usage`, async () => {
      const result = await runCli(args);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, expected);
      assert.equal(result.stdout, '');
    });
  }

  test('a hostile trace ID is rejected without being echoed', async () => {
    const hostile = '\u001b]0;pwned\u0007$(rm -rf /)';
    const result = await runCli(['trace', hostile]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /the trace ID must be 1-128 letters/);
    assert.ok(!result.stderr.includes('pwned') && !result.stderr.includes('\u001b'));
  });

  test('--help prints the command usage and exits 0', async () => {
    const result = await runCli(['doctor', '--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Usage: express-api-guard doctor/);
  });

  test('--version prints the package version and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const result = await runCli([flag]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.trim(), version);
    }
  });

  test('a reader that goes away (doctor | head -1) ends the CLI quietly', async () => {
    // The reading end is closed before the CLI writes anything (as `head -1` closes it after one
    // line), so its output hits EPIPE every time, not only when it outruns the reader.
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'lib/cli/bin.ts'), 'doctor', '--config-dir', ROOT], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.once('close', (exit) => resolve(exit)));
    assert.doesNotMatch(stderr, /EPIPE|Error:|at /, stderr);
    assert.notEqual(code, null, 'exited by itself');
  });
});
