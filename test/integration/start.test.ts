/**
 * `npm start` as a user runs it: `node --import tsx examples/issuetrak-style/server.ts` with the
 * example's own appsettings files (copied to a temp CONFIG_DIR so logs stay out of the repo), no
 * environment variable naming an environment. Also the startup failures: port taken (with and without
 * --verbose), bad config, a config folder that does not exist.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { makeConfigDir, removeDir, request } from './helpers.js';

const SERVER = path.join('examples', 'issuetrak-style', 'server.ts');

interface Launched {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

function launch(env: Record<string, string>, args: readonly string[] = []): Launched {
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(ASPNETCORE_ENVIRONMENT|DOTNET_ENVIRONMENT|NODE_ENV|PORT|HOST|CONFIG_DIR|NODE_TEST_CONTEXT)$/.test(key)) clean[key] = value;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER, ...args], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const launched: Launched = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout?.on('data', (chunk: Buffer) => (launched.stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (launched.stderr += chunk.toString()));
  return launched;
}

async function waitForUrl(launched: Launched, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // The whole banner, not just its first line: the lines after it can arrive in a later chunk.
    const match = /listening on (\S+)\n[\s\S]*API docs \(Swagger UI\): \S+\n/.exec(launched.stdout);
    if (match?.[1]) return match[1];
    if (launched.child.exitCode !== null) throw new Error(`server exited ${launched.child.exitCode}: ${launched.stderr}`);
    if (Date.now() > deadline) throw new Error(`no URL printed; stdout: ${launched.stdout} stderr: ${launched.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('npm start (examples/issuetrak-style/server.ts)', () => {
  const cleanups: Array<() => unknown> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  test('starts on the example config, prints its URL and files, serves /health, exits 0 on SIGTERM', async () => {
    const dir = makeConfigDir();
    cleanups.push(() => removeDir(dir));
    const launched = launch({ PORT: '0', CONFIG_DIR: dir });
    cleanups.push(() => launched.child.exitCode === null && launched.child.kill('SIGKILL'));
    const url = await waitForUrl(launched);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/api\/v2$/);
    assert.match(launched.stdout, /Environment: Development \(the example default/);
    assert.ok(launched.stdout.includes(`Config file: ${path.join(dir, 'appsettings.json')}`), launched.stdout);
    assert.ok(launched.stdout.includes(`Config file: ${path.join(dir, 'appsettings.Development.json')}`), launched.stdout);

    const health = await request(`${url}/health`, { auth: false });
    assert.equal(health.status, 200);
    const auth = await request(`${url}/Authenticate/test`);
    assert.equal(auth.status, 200);

    launched.child.kill('SIGTERM');
    assert.equal(await launched.exited, 0);
    assert.match(launched.stdout, /SIGTERM received, shutting down/);
    assert.ok(!launched.stdout.includes('dev-placeholder-password'), 'no secret on the console');
  });

  test('a port already in use: exits 1 with the cause on stderr and in logs/stdout/', async () => {
    const dir = makeConfigDir();
    cleanups.push(() => removeDir(dir));
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const port = (blocker.address() as AddressInfo).port;
    const launched = launch({ PORT: String(port), CONFIG_DIR: dir });
    assert.equal(await launched.exited, 1);
    assert.match(launched.stderr, /EADDRINUSE/);
    assert.match(launched.stderr, new RegExp(`Port ${port} is already in use: stop the other process or set PORT to a free port\\.`));
    const files = readdirSync(path.join(dir, 'logs', 'stdout'));
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^startup-.*\.log$/);
    assert.equal(launched.stderr.match(/EADDRINUSE/g)?.length, 1, `the cause is printed once: ${launched.stderr}`);
    assert.doesNotMatch(launched.stderr, /^\s+at /m, 'no stack without --verbose');

    const verbose = launch({ PORT: String(port), CONFIG_DIR: dir }, ['--verbose']);
    assert.equal(await verbose.exited, 1);
    assert.match(verbose.stderr, /EADDRINUSE/);
    assert.match(verbose.stderr, /^\s+at /m, '--verbose adds the stack');
  });

  test('a CONFIG_DIR that does not exist: exits 1 with one line naming it, and creates nothing', async () => {
    const parent = makeConfigDir();
    cleanups.push(() => removeDir(parent));
    const missing = path.join(parent, 'no-such-folder');
    const launched = launch({ PORT: '0', CONFIG_DIR: missing });
    assert.equal(await launched.exited, 1);
    const lines = launched.stderr.split('\n').filter((line) => line !== '');
    assert.equal(lines.length, 1, launched.stderr);
    assert.ok(lines[0]!.includes(`config directory ${missing} does not exist`), lines[0]);
    assert.equal(existsSync(missing), false, 'the folder is not created');
  });

  test('an invalid appsettings.json: exits 1 naming the file, line and column', async () => {
    const dir = makeConfigDir();
    cleanups.push(() => removeDir(dir));
    writeFileSync(path.join(dir, 'appsettings.json'), '{\n  "RateLimiting": {\n    "Rules": [ { "Name": "x", "Endpoint": "*", "Period": "10 min", "Limit": 5 } ]\n  }\n}\n');
    const launched = launch({ PORT: '0', CONFIG_DIR: dir });
    assert.equal(await launched.exited, 1);
    assert.match(launched.stderr, /appsettings\.json:3:\d+ RateLimiting\.Rules\[0\]\.Period: "10 min" is not a period/);
    assert.match(launched.stderr, /Fix the configuration file named above/);
    assert.equal(readdirSync(path.join(dir, 'logs', 'stdout')).length, 1);
  });
});
