/**
 * The README's quick start, run as written (only the package import is pointed at lib/): a user who
 * copies it gets a working API with trace IDs, envelopes and rate-limit headers, and a clean exit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const repo = resolve(import.meta.dirname, '..', '..');

function quickStartSource(): string {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  const match = /```js\n([\s\S]*?)```/.exec(section);
  assert.ok(match, 'README has no ```js block under "## Quick start"');
  const lib = pathToFileURL(join(repo, 'lib', 'index.ts')).href;
  return match[1]!.replace(`from 'express-api-guard'`, `from '${lib}'`);
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((ok) => server.once('listening', ok));
  const { port } = server.address() as { port: number };
  await new Promise((ok) => server.close(ok));
  return port;
}

test('README quick start runs as written', { timeout: 60_000 }, async (t) => {
  // Inside the repo (git-ignored) so the copied file resolves `express` as a user's app would.
  mkdirSync(join(repo, '.test-tmp'), { recursive: true });
  const dir = mkdtempSync(join(repo, '.test-tmp', 'quickstart-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const source = quickStartSource();
  assert.ok(source.split('\n').filter((l) => l.trim()).length <= 15, 'the quick start stays within 15 lines');
  writeFileSync(join(dir, 'app.mjs'), source);
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(dir, 'app.mjs')], {
    cwd: repo,
    // Exactly the README's run line: `ASPNETCORE_ENVIRONMENT=Development node app.mjs`.
    env: { ...process.env, CONFIG_DIR: dir, PORT: String(port), ASPNETCORE_ENVIRONMENT: 'Development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  t.after(() => child.kill('SIGKILL'));

  const base = `http://127.0.0.1:${port}`;
  let ok = false;
  for (let i = 0; i < 100 && !ok; i++) {
    ok = await fetch(`${base}/api/v2/Issues/1`).then(() => true, () => false);
    if (!ok) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(ok, `the quick start did not listen:\n${output}`);

  const good = await fetch(`${base}/api/v2/Issues/12`);
  assert.equal(good.status, 200);
  const traceId = good.headers.get('x-trace-id');
  assert.match(traceId ?? '', /^[0-9A-V]{13}:[0-9A-F]{8}$/);
  assert.deepEqual(await good.json(), { traceId, values: [{ issueNumber: 12 }] });
  assert.match(good.headers.get('ratelimit-policy') ?? '', /"burst";q=20;w=1/);

  const bad = await fetch(`${base}/api/v2/Issues/abc`);
  assert.equal(bad.status, 400);
  assert.deepEqual(await bad.json(), {
    traceId: bad.headers.get('x-trace-id'),
    information: [{ type: 'Validation', message: 'iid must be a number' }],
  });

  const missing = await fetch(`${base}/nope`);
  assert.equal(missing.status, 404);
  assert.deepEqual(Object.keys((await missing.json()) as object), ['traceId', 'information']);

  child.kill('SIGTERM');
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 10_000))]);
  assert.equal(code, 0, `the quick start did not exit on SIGTERM:\n${output}`);

  const logs = readdirSync(join(dir, 'logs')).filter((f) => f.endsWith('.log'));
  assert.ok(logs.length > 0, 'no log file in <configDir>/logs');
  const lines = logs.map((f) => readFileSync(join(dir, 'logs', f), 'utf8')).join('');
  assert.ok(lines.includes(traceId!), 'the request log line carries the trace ID');
});
