import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTdsServer, type TdsServer } from '../fixtures/tds-server.js';
import {
  assertNoSecrets,
  checkLine,
  healthyBase,
  healthyEnvFile,
  RELEASE,
  runCli,
  SQL_PASSWORD,
  SQL_USER,
  tempDir,
  writeConfig,
} from './helpers.js';

let sql: TdsServer;
before(async () => {
  sql = await startTdsServer({ users: { [SQL_USER]: SQL_PASSWORD } });
});
after(async () => {
  await sql.close();
});

test('a healthy config folder passes every check and exits 0', async (t) => {
  const dir = tempDir(t);
  // The environment name and the file name differ in case, as on the Windows servers the files come from.
  writeConfig(dir, { base: healthyBase(dir), envFileName: 'appsettings.Release.json', envFile: healthyEnvFile(sql.port) });
  const result = await runCli(['doctor', '--config-dir', dir], { env: RELEASE });
  assertNoSecrets(result);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(checkLine(result.stdout, 'appsettings.json'), /^ok\s+appsettings\.json\s+.*is valid/);
  assert.match(checkLine(result.stdout, 'environment'), /^ok .*release \(from ASPNETCORE_ENVIRONMENT\); appsettings\.Release\.json \(found as/);
  assert.match(checkLine(result.stdout, 'required keys'), /^ok .*values not shown\): ConnectionStrings:Issuetrak-Databse, SecureStorageKeys:KeyForEncrypter-1, SessionSigningKey$/);
  assert.match(checkLine(result.stdout, 'SQL Server'), /^ok .*127\.0\.0\.1.*as app: logged in .*TDS stand-in/);
  assert.match(checkLine(result.stdout, 'log folders'), /^ok .*can be created/);
  assert.match(checkLine(result.stdout, 'rate-limit store'), /^ok .*memory store/);
  assert.match(checkLine(result.stdout, 'rate-limit rules'), /^ok /);
  // The default table: six rules, printed under the rules line.
  assert.match(result.stdout, /burst\s+\*\s+1s\s+20/);
  assert.match(checkLine(result.stdout, 'HTTPS'), /^ok .*TLS is terminated in front of the app/);
  assert.match(result.stdout, /8 ok, 0 warning\(s\), 0 failure\(s\)/);
  // Probing the log folder must not leave it behind.
  assert.equal(existsSync(join(dir, 'logs')), false);
});

test('--json prints the stable report shape', async (t) => {
  const dir = tempDir(t);
  writeConfig(dir, { base: healthyBase(dir), envFile: healthyEnvFile(sql.port) });
  const result = await runCli(['doctor', '--json', '--environment', 'release'], { cwd: dir });
  assertNoSecrets(result);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const report = JSON.parse(result.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(report).sort(), ['checks', 'configDir', 'environment', 'ok', 'version']);
  assert.equal(report.version, 1);
  assert.equal(report.ok, true);
  assert.deepEqual(report.environment, { name: 'release', source: 'option' });
  const checks = report.checks as { id: string; title: string; status: string; detail: string; fix?: string }[];
  assert.deepEqual(
    checks.map((c) => c.id),
    ['config-file', 'environment', 'required-keys', 'sql-server', 'log-directories', 'rate-limit-store', 'rate-limit-rules', 'https'],
  );
  for (const check of checks) {
    assert.ok(['ok', 'info', 'warn', 'fail'].includes(check.status));
    assert.equal(typeof check.title, 'string');
    assert.equal(typeof check.detail, 'string');
  }
  assert.equal(checks.every((c) => c.status === 'ok'), true);
});

test('a live Redis store passes the store check', async (t) => {
  const dir = tempDir(t);
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  writeConfig(dir, {
    base: { ...healthyBase(dir), RateLimiting: { Store: 'redis', Redis: { Url: url, KeyPrefix: `doctor-test-${process.pid}:` } } },
    envFile: healthyEnvFile(sql.port),
  });
  const result = await runCli(['doctor', '--config-dir', dir], { env: RELEASE });
  assertNoSecrets(result);
  assert.match(checkLine(result.stdout, 'rate-limit store'), /^ok .*redis at redis:\/\/127\.0\.0\.1:6379: Redis 127\.0\.0\.1:6379; the limiter script ran/);
  assert.equal(result.code, 0, result.stdout);
});
