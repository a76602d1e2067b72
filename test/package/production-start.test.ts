/**
 * The example in production as docs/deployment.md runs it: `npm run build:example` (the part of
 * `npm run build` deployment uses), then a fresh folder holding only what is deployed — dist/app,
 * package.json, package-lock.json and the example's package.json — gets `npm ci --omit=dev`, and
 * plain `node dist/app/examples/issuetrak-style/server.js` serves HTTPS in Production. No tsx, no
 * TypeScript and no other dev dependency is installed there; swagger-ui-dist (the docs page) and
 * prom-client (metrics; an optional peer of the library, a dependency of the example) are.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { makeCertificate, request } from '../integration/helpers.js';

const repo = resolve(import.meta.dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const SERVER = join('dist', 'app', 'examples', 'issuetrak-style', 'server.js');

/** The environment minus what npm, the test runner or a developer's shell would leak into the child. */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(npm_|INIT_CWD$|NODE_OPTIONS$|NODE_TEST_CONTEXT$|NODE_ENV$|ASPNETCORE_|DOTNET_|PORT$|HOST$|CONFIG_DIR$)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

test('the compiled example runs with production dependencies only, on plain node', { timeout: 240_000 }, async (t) => {
  execFileSync(npm, ['run', 'build:example'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });

  const work = mkdtempSync(join(tmpdir(), 'guard-prod-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  for (const file of ['package.json', 'package-lock.json', join('examples', 'issuetrak-style', 'package.json')]) {
    cpSync(join(repo, file), join(work, file));
  }
  cpSync(join(repo, 'dist', 'app'), join(work, 'dist', 'app'), { recursive: true });
  execFileSync(npm, ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: work,
    env: cleanEnv({}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const installed = readdirSync(join(work, 'node_modules'));
  for (const dev of ['tsx', 'typescript', 'playwright-core', 'eslint']) assert.ok(!installed.includes(dev), `${dev} is a dev dependency but was installed`);
  // prom-client is an optional peer of the library; the example depends on it, so production has metrics.
  for (const runtime of ['express', 'swagger-ui-dist', 'winston', 'prom-client']) assert.ok(installed.includes(runtime), `${runtime} is missing`);

  // The operator's config folder: the app's base file plus a Production file with the certificate.
  const config = join(work, 'config');
  mkdirSync(config);
  cpSync(join(work, 'dist', 'app', 'examples', 'issuetrak-style', 'appsettings.json'), join(config, 'appsettings.json'));
  makeCertificate(config);
  writeFileSync(
    join(config, 'appsettings.Production.json'),
    JSON.stringify({ Https: { Certificate: { Path: 'server.crt', KeyPath: 'server.key' } }, Logging: { Console: false } }),
  );

  const child = spawn(process.execPath, [SERVER], {
    cwd: work,
    env: cleanEnv({ ASPNETCORE_ENVIRONMENT: 'Production', CONFIG_DIR: config, PORT: '0' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.exitCode === null && child.kill('SIGKILL'));
  let output = '';
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  const url = await new Promise<string>((ok, fail) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      // The banner's last line: the lines before it (URL, environment, files) are all in by then.
      const match = /listening on (\S+)[\s\S]*API docs \(Swagger UI\): /.exec(output);
      if (match) ok(match[1]!);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => fail(new Error(`the server exited with ${code} before listening:\n${output}`)));
  });
  assert.match(url, /^https:\/\/127\.0\.0\.1:\d+\/api\/v2$/);
  assert.match(output, /Environment: Production \(ASPNETCORE_ENVIRONMENT\)/);

  const health = await request(`${url}/health`, { auth: false });
  assert.equal(health.status, 200, health.text);
  assert.equal(health.json().status, 'Healthy');
  const docs = await request(`${url}/docs`, { auth: false });
  assert.equal(docs.status, 200, 'swagger-ui-dist is installed by npm ci --omit=dev');
  assert.doesNotMatch(docs.text, /try-it-api-key/, 'no demo key outside Development');
  const bundle = /src="([^"]+swagger-ui-bundle\.js)"/.exec(docs.text)?.[1];
  assert.equal((await request(`${new URL(url).origin}${bundle}`, { auth: false })).status, 200);
  const metrics = await request(`${new URL(url).origin}/metrics`, { auth: false });
  assert.equal(metrics.status, 200, 'metrics are served to this machine');
  assert.match(metrics.text, /^http_server_request_duration_seconds_count\{.*\} \d+$/m);

  child.kill('SIGTERM');
  assert.equal(await exited, 0, output);
  assert.ok(existsSync(join(config, 'logs')), 'logs go next to the config');
});
