// The secrets sweep: a config with a distinct secret in every kind of place, and every output the
// guard has — log files, console, the startup log of a failed start, doctor (text and --json),
// trace, response bodies in Production and Development (4xx and 5xx, from handlers that put the
// secrets in messages, causes and own fields), rejected config reloads — searched for each secret
// as written, URL-encoded and JSON-escaped. Real files, the real app and CLI as child processes,
// real HTTP.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { closedPort, ROOT, runCli } from '../cli/helpers.js';
import { request } from '../errors/http-helpers.js';

const TSX = import.meta.resolve('tsx');
const APP = join(ROOT, 'test/fixtures/secrets-app.ts');
const REDIS_PORT = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').port || '6379';

const S = {
  dbPassword: 'Db-Pa55/w0rd&x1',
  storageKey: 'storage-key-9f3k2Lq',
  sessionSigningKey: 'signing-key-7Hq2xZ',
  redisPassword: 'redis-pass-Q8wE4',
  hostApiKey: 'host-apikey-51abQ',
  hostToken: 'host-token-77cdW',
  hostPassword: 'host-password-90efR',
  clientKey: 'client-x-api-key-33aaP',
  newSecret: 'reloaded-secret-4e4eT',
};

let sqlPort = 0;
const connectionString = (): string => `Server=127.0.0.1,${sqlPort};Database=issuetrak;User Id=app;Password="${S.dbPassword}";Encrypt=false`;

/** What the app's careless handlers put in messages: every configured secret (not the one only a rejected edit holds). */
function appSecrets(): Record<string, string> {
  const { newSecret: _new, ...known } = S;
  return { ...known, connectionString: connectionString() };
}

/** Every form a secret must not take in any output. */
function forms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), JSON.stringify(JSON.stringify(secret)).slice(1, -1)])];
}
const FORBIDDEN = Object.entries(S).flatMap(([name, secret]) => forms(secret).map((form) => ({ name, form })));

function assertClean(where: string, text: string): void {
  for (const { name, form } of FORBIDDEN) assert.ok(!text.includes(form), `${where} leaks ${name} (${form}):\n${text.slice(Math.max(0, text.indexOf(form) - 300), text.indexOf(form) + 200)}`);
}

function baseConfig(dir: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    RateLimiting: {
      ClientKey: 'header:X-Api-Key',
      ClientWhitelist: [S.clientKey],
      Store: 'redis',
      Redis: { Url: `redis://:${S.redisPassword}@127.0.0.1:${REDIS_PORT}`, OnError: 'open', KeyPrefix: `sweep-${process.pid}:` },
    },
    Logging: { LogLevel: { Default: 'Debug' }, Directory: join(dir, 'logs'), Console: true },
    Https: { Required: false },
    Errors: { IncludeDetails: true },
    Doctor: { RequiredKeys: ['ConnectionStrings:Issuetrak-Databse', 'SessionSigningKey', 'MyApp:ApiKey'] },
    MyApp: { Name: 'visible-name', ApiKey: S.hostApiKey, Token: S.hostToken, Password: S.hostPassword },
    ...overrides,
  };
}

function envFile(): Record<string, unknown> {
  return {
    ConnectionStrings: { 'Issuetrak-Databse': connectionString() },
    SecureStorageKeys: { 'KeyForEncrypter-1': S.storageKey },
    SessionSigningKey: S.sessionSigningKey,
  };
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, null, 2));
}

/** Every file under `dir`, recursively (log files, startup logs, audit files). */
function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...allFiles(path));
    else out.push(path);
  }
  return out;
}

interface RunningApp {
  port: number;
  child: ChildProcessByStdio<null, Readable, Readable>;
  output(): string;
  stop(): Promise<void>;
}

/** Starts the fixture app; resolves once it prints its port, or rejects with its output if it exits. */
function startApp(configDir: string, environment: string): Promise<RunningApp> {
  const child = spawn(process.execPath, ['--import', TSX, APP], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CONFIG_DIR: configDir, ASPNETCORE_ENVIRONMENT: environment, SWEEP_SECRETS: JSON.stringify(appSecrets()) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const match = /PORT=(\d+)/.exec(stderr);
      if (match)
        resolve({
          port: Number(match[1]),
          child,
          output: () => `${stdout}\n${stderr}`,
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
    });
    child.on('exit', (code) => reject(Object.assign(new Error(`app exited with ${code}`), { output: `${stdout}\n${stderr}` })));
  });
}

/** Resolves when `file`'s text matches `pattern` (the log line arrived), checking on each change. */
async function waitForText(dir: string, pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = allFiles(dir).map((f) => readFileSync(f, 'utf8')).join('\n');
    if (pattern.test(text)) return;
    if (Date.now() > deadline) throw new Error(`no ${pattern} in ${dir} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25)); // polling a file: the event is the write
  }
}

describe('secrets sweep: no configured secret in any output', () => {
  let root: string;
  const seen: { where: string; text: string }[] = [];
  const record = (where: string, text: string): void => {
    seen.push({ where, text });
  };

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'eag-sweep-'));
    sqlPort = await closedPort();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const environment of ['Production', 'Development']) {
    test(`${environment}: bodies, console, log files, a rejected reload, trace`, async () => {
      const dir = join(root, environment);
      const logs = join(dir, 'logs');
      mkdirp(dir);
      writeJson(join(dir, 'appsettings.json'), baseConfig(dir));
      writeJson(join(dir, `appsettings.${environment}.json`), envFile());
      const app = await startApp(dir, environment);
      const url = `http://127.0.0.1:${app.port}`;
      const headers = { 'x-api-key': S.clientKey, authorization: `Bearer ${S.hostToken}` };
      try {
        const bodies: Record<string, Awaited<ReturnType<typeof request>>> = {};
        for (const path of ['/server-error', '/unauthorized', '/bad-request', '/unavailable', '/log', '/partial', `/api/${S.storageKey}`, `/api/${encodeURIComponent(S.dbPassword)}`]) {
          bodies[path] = await request(`${url}${path}`, { headers }).catch((err: Error) =>
            // Headers sent, then the connection closed: that is the answer for /partial.
            path === '/partial' && /socket hang up|ECONNRESET/.test(err.message) ? { status: 0, headers: {}, text: '', aborted: true, json: () => ({}) } : Promise.reject(err),
          );
        }
        bodies['/json'] = await request(`${url}/json`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: `{"password":"${S.hostPassword}","key":"${S.sessionSigningKey}"x}`,
        });
        for (const [path, reply] of Object.entries(bodies)) record(`${environment} body of ${path}`, JSON.stringify(reply.headers) + reply.text);

        // The answers are the real ones, not empty: the sweep would pass vacuously otherwise.
        assert.equal(bodies['/server-error']?.status, 500);
        assert.equal(bodies['/unauthorized']?.status, 401);
        assert.match(bodies['/unauthorized']?.text ?? '', /the signature \*\*\* does not match; key \*\*\*/);
        assert.match(bodies['/bad-request']?.text ?? '', /invalid api key \*\*\*/);
        assert.equal(bodies['/partial']?.aborted, true);
        if (environment === 'Development') assert.match(bodies['/server-error']?.text ?? '', /"type":"Exception","message":"Error: query failed with \*\*\* and \*\*\*"/);
        const traceId = bodies['/server-error']?.json().traceId as string;

        // A rejected edit carrying a new secret on the broken line, then one with an invalid value.
        writeFileSync(join(dir, `appsettings.${environment}.json`), `{ "SessionSigningKey": "${S.newSecret}" ,, }`);
        await waitForText(logs, /edit was rejected/);
        writeJson(join(dir, `appsettings.${environment}.json`), { ...envFile(), MyApp: { Password: S.newSecret }, Https: { Required: 'maybe' } });
        await waitForText(logs, /Https\.Required[\s\S]*edit was rejected[\s\S]*Https\.Required|edit was rejected[\s\S]*edit was rejected/);

        const trace = await runCli(['trace', traceId, '--config-dir', dir], { env: { ASPNETCORE_ENVIRONMENT: environment } });
        assert.equal(trace.code, 0, trace.stderr);
        assert.match(trace.stdout, /failed with 500/);
        record(`${environment} trace`, trace.stdout + trace.stderr);
        const traceJson = await runCli(['trace', traceId, '--config-dir', dir, '--json'], { env: { ASPNETCORE_ENVIRONMENT: environment } });
        record(`${environment} trace --json`, traceJson.stdout + traceJson.stderr);
      } finally {
        await app.stop();
        record(`${environment} console (stdout and stderr)`, app.output());
      }
      const files = allFiles(logs);
      assert.ok(files.some((f) => /api-.*\.log/.test(f)));
      const logText = files.map((f) => readFileSync(f, 'utf8')).join('\n');
      assert.match(logText, /failed with 500/);
      assert.match(logText, /upstream said \*\*\*/, 'the cause is logged, masked');
      assert.ok(!logText.includes('"body"') && !logText.includes('"response"'), 'error own fields are not logged');
      for (const file of files) record(`${environment} ${file}`, readFileSync(file, 'utf8'));
      for (const { where, text } of seen) assertClean(where, text);
    });
  }

  test('doctor and doctor --json, with the config loading and with a broken file', async () => {
    const dir = join(root, 'doctor');
    mkdirp(dir);
    writeJson(join(dir, 'appsettings.json'), baseConfig(dir));
    writeJson(join(dir, 'appsettings.Production.json'), envFile());
    const env = { ASPNETCORE_ENVIRONMENT: 'Production', MyApp__Token: S.hostToken };
    for (const args of [['doctor'], ['doctor', '--json']]) {
      const result = await runCli([...args, '--config-dir', dir, '--sql-timeout', '2000'], { env });
      assert.match(result.stdout, /rate-limit store|rate-limit-store/);
      assertClean(`doctor ${args.join(' ')}`, result.stdout + result.stderr);
    }
    // A syntax error on the very line holding a secret: the loader cannot parse it, doctor still masks it.
    writeFileSync(join(dir, 'appsettings.Production.json'), `{\n  "SessionSigningKey": "${S.sessionSigningKey}" "x",\n  "SecureStorageKeys": { "KeyForEncrypter-1": "${S.storageKey}" }\n}`);
    // The text report is the JSON report's strings formatted; one run covers both here.
    const broken = await runCli(['doctor', '--json', '--config-dir', dir, '--sql-timeout', '2000'], { env });
    assert.equal(broken.code, 1);
    assertClean('doctor --json (broken file)', broken.stdout + broken.stderr);
  });

  test('the startup log of a failed start (Redis refusing with OnError closed)', async () => {
    const dir = join(root, 'failed-start');
    mkdirp(dir);
    const port = await closedPort();
    writeJson(
      join(dir, 'appsettings.json'),
      baseConfig(dir, {
        RateLimiting: { ClientKey: 'header:X-Api-Key', Store: 'redis', Redis: { Url: `redis://:${S.redisPassword}@127.0.0.1:${port}`, OnError: 'closed' } },
      }),
    );
    writeJson(join(dir, 'appsettings.Production.json'), envFile());
    const failure = await startApp(dir, 'Production').then(
      async (app) => {
        await app.stop();
        throw new Error('the app started although Redis is unreachable and OnError is closed');
      },
      (err: Error & { output: string }) => err.output,
    );
    assert.match(failure, /could not start/);
    const startupLogs = allFiles(join(dir, 'logs', 'stdout'));
    assert.equal(startupLogs.length, 1);
    const text = readFileSync(startupLogs[0] as string, 'utf8');
    assert.match(text, /RateLimiting: Redis \(standalone [^)]*\) connect ECONNREFUSED/);
    assertClean('failed start stderr', failure);
    assertClean('startup log file', text);
  });
});

function mkdirp(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}
