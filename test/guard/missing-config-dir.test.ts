/**
 * A mistyped config folder, started the way systemd's Restart=on-failure does: again and again. Every
 * start must fail with one clear line, and nothing may be created in (or as) the missing folder; the
 * startup log used to create `<dir>/logs/stdout`, so the second start found the folder and ran on
 * built-in defaults. The startup log goes to `<os temp dir>/express-api-guard/stdout/` instead.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const STARTER = fileURLToPath(new URL('../fixtures/start-guard.ts', import.meta.url));
// Resolved here: the child runs in a folder of its own, where `--import tsx` would not be found.
const TSX = import.meta.resolve('tsx');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the guard in a child process with `configDir`, cwd `cwd` and the OS temp dir `temp`. */
function start(configDir: string, cwd: string, temp: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, STARTER], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: temp, CONFIG_DIR: configDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function sandbox(t: { after(fn: () => void): void }): { cwd: string; temp: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'guard-missing-dir-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const cwd = path.join(root, 'app');
  const temp = path.join(root, 'tmp');
  mkdirSync(cwd);
  mkdirSync(temp);
  return { cwd, temp };
}

const ONE_LINE = (dir: string): RegExp =>
  new RegExp(
    `^\\S+ crit: Startup\\[pid \\d+\\] express-api-guard could not start: config directory ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not exist; create it or pass the folder that holds appsettings\\.json\\n$`,
  );

test('a config folder that does not exist fails every start with one line, and is never created', async (t) => {
  const { cwd, temp } = sandbox(t);
  const missing = path.join(cwd, 'confg'); // the operator meant ./config
  for (const attempt of [1, 2]) {
    const run = await start(missing, cwd, temp);
    assert.equal(run.code, 1, `start ${attempt} must fail: ${run.stdout}${run.stderr}`);
    assert.ok(!run.stdout.includes('started'));
    assert.match(run.stderr, ONE_LINE(missing), `start ${attempt}`);
    assert.equal(existsSync(missing), false, `start ${attempt} created the missing folder`);
    assert.deepEqual(readdirSync(cwd), [], `start ${attempt} created something in the working directory`);
  }
  // The full account of each start is in the temp dir's startup log.
  const logs = path.join(temp, 'express-api-guard', 'stdout');
  const files = readdirSync(logs);
  assert.equal(files.length, 2);
  for (const file of files) assert.match(readFileSync(path.join(logs, file), 'utf8'), /CONFIG_DIR_MISSING/);
});

test('a missing config folder that is the startup-log folder itself is not created either', async (t) => {
  const { cwd, temp } = sandbox(t);
  const missing = path.join(temp, 'express-api-guard');
  for (const attempt of [1, 2]) {
    const run = await start(missing, cwd, temp);
    assert.equal(run.code, 1, `start ${attempt}`);
    assert.match(run.stderr, ONE_LINE(missing), `start ${attempt}`);
    assert.equal(existsSync(missing), false, `start ${attempt} created the missing folder`);
  }
});
