import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startTdsServer } from '../fixtures/tds-server.js';
import {
  assertNoSecrets,
  checkLine,
  closedPort,
  connectionString,
  healthyBase,
  healthyEnvFile,
  RELEASE,
  runCli,
  SQL_PASSWORD,
  SQL_USER,
  tempDir,
  writeConfig,
} from './helpers.js';

// Each test spawns the CLI and waits on it; running a few at once keeps the folder fast.
describe('doctor-network', { concurrency: 3 }, () => {
  test('SQL Server at a closed port: refused', async (t) => {
    const dir = tempDir(t);
    writeConfig(dir, { base: healthyBase(dir), envFile: healthyEnvFile(await closedPort()) });
    const result = await runCli(['doctor', '--config-dir', dir], { env: RELEASE });
    assertNoSecrets(result);
    assert.equal(result.code, 1);
    assert.match(checkLine(result.stdout, 'SQL Server'), /^fail .*127\.0\.0\.1:\d+, database issuetrak as app: refused: Connection refused/);
    assert.match(result.stdout, /fix: nothing accepts connections there/);
  });

  test('SQL Server that accepts and never answers: timeout, bounded by --sql-timeout', async (t) => {
    const silent = await startTdsServer({ mode: 'silent' });
    t.after(() => silent.close());
    const dir = tempDir(t);
    writeConfig(dir, { base: healthyBase(dir), envFile: healthyEnvFile(silent.port) });
    const result = await runCli(['doctor', '--config-dir', dir, '--sql-timeout', '700'], { env: RELEASE });
    assertNoSecrets(result);
    assert.equal(result.code, 1);
    assert.match(checkLine(result.stdout, 'SQL Server'), /^fail .*: no answer within 700 ms: /);
    // Measured at the server, from accept to the client's close, so the CLI's start-up on a busy
    // machine does not count: well under the 5000 ms default, so the flag is what bounded it.
    await silent.idle(5000);
    const { accepted, openMs } = silent.connections();
    assert.ok(accepted >= 1 && openMs.length === accepted, `every connection closed: ${JSON.stringify(silent.connections())}`);
    assert.ok(Math.max(...openMs) < 3000, `open for ${openMs.map(Math.round).join(', ')} ms; --sql-timeout is 700`);
  });

  test('SQL Server refusing the login: the server message, never the password', async (t) => {
    const sql = await startTdsServer({ users: { [SQL_USER]: 'a-different-password' } });
    t.after(() => sql.close());
    const dir = tempDir(t);
    writeConfig(dir, { base: healthyBase(dir), envFile: healthyEnvFile(sql.port) });
    const result = await runCli(['doctor', '--config-dir', dir], { env: RELEASE });
    assertNoSecrets(result);
    assert.equal(result.code, 1);
    assert.match(checkLine(result.stdout, 'SQL Server'), /^fail .*login failed: Login failed for user 'app'/);
    assert.match(result.stdout, /fix: the server refused the login/);
  });

  test('a connection string that does not parse fails without echoing it', async (t) => {
    const dir = tempDir(t);
    const envFile = healthyEnvFile(1433);
    envFile.ConnectionStrings = { 'Issuetrak-Databse': `Server=;Password=${SQL_PASSWORD};Integrated Security=true` };
    writeConfig(dir, { base: healthyBase(dir), envFile });
    const result = await runCli(['doctor', '--config-dir', dir], { env: RELEASE });
    assertNoSecrets(result);
    assert.equal(result.code, 1);
    assert.match(checkLine(result.stdout, 'SQL Server'), /^fail /);
  });

  test('a log folder that cannot be created (a file is in the way) fails, the rest still runs', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'afile'), 'not a folder');
    const base = { ...healthyBase(dir), Logging: { Directory: join(dir, 'afile', 'logs') } };
    writeConfig(dir, { base, envFile: healthyEnvFile(await closedPort()) });
    const result = await runCli(['doctor', '--config-dir', dir, '--json'], { env: RELEASE });
    assertNoSecrets(result);
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: { id: string; status: string; detail: string; fix?: string }[] };
    const logs = report.checks.find((c) => c.id === 'log-directories');
    assert.equal(logs?.status, 'fail');
    assert.match(logs?.detail ?? '', /cannot create .*afile\/logs \(ENOTDIR: a part of the path is a file/);
    assert.match(logs?.fix ?? '', /writable folder/);
    assert.equal(report.checks.find((c) => c.id === 'rate-limit-rules')?.status, 'ok');
  });

  test('an existing log folder is written to and left as it was', async (t) => {
    const dir = tempDir(t);
    const { mkdirSync, readdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'logs', 'stdout'), { recursive: true });
    writeConfig(dir, { base: healthyBase(dir), envFile: healthyEnvFile(await closedPort()) });
    const result = await runCli(['doctor', '--config-dir', dir], { env: RELEASE });
    assert.match(checkLine(result.stdout, 'log folders'), /^ok .*logs is writable; .*stdout is writable/);
    assert.deepEqual(readdirSync(join(dir, 'logs')), ['stdout']);
    assert.deepEqual(readdirSync(join(dir, 'logs', 'stdout')), []);
    assert.equal(existsSync(join(dir, 'logs')), true);
  });

  test('a dead Redis store fails the store check', async (t) => {
    const dir = tempDir(t);
    const port = await closedPort();
    const base = { ...healthyBase(dir), RateLimiting: { Store: 'redis', Redis: { Url: `redis://:${SQL_PASSWORD}@127.0.0.1:${port}` } } };
    writeConfig(dir, { base, envFile: { ...healthyEnvFile(1), ConnectionStrings: { 'Issuetrak-Databse': connectionString(await closedPort()) } } });
    const result = await runCli(['doctor', '--config-dir', dir], { env: RELEASE });
    assertNoSecrets(result);
    assert.equal(result.code, 1);
    assert.match(checkLine(result.stdout, 'rate-limit store'), new RegExp(`^fail .*redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}: `));
    assert.match(result.stdout, /fix: start Redis/);
  });

  test('a writable log folder with LogLevel None warns that nothing is logged', async (t) => {
    const dir = tempDir(t);
    const base = { ...healthyBase(dir), Logging: { Directory: join(dir, 'logs'), LogLevel: { Default: 'None' } } };
    writeConfig(dir, { base, envFile: healthyEnvFile(await closedPort()) });
    const result = await runCli(['doctor', '--config-dir', dir], { env: RELEASE });
    assert.match(checkLine(result.stdout, 'log folders'), /^warn .*level None: nothing is logged/);
  });

  test('SQL Server with TLS: an untrusted certificate is a tls failure, TrustServerCertificate=true logs in', async (t) => {
    const sql = await startTdsServer({ users: { [SQL_USER]: SQL_PASSWORD }, tls: true });
    t.after(() => sql.close());
    const dir = tempDir(t);
    const envFile = healthyEnvFile(sql.port);
    const secure = connectionString(sql.port).replace('Encrypt=false', 'Encrypt=true');
    envFile.ConnectionStrings = { 'Issuetrak-Databse': secure };
    writeConfig(dir, { base: healthyBase(dir), envFile });
    const untrusted = await runCli(['doctor', '--config-dir', dir], { env: RELEASE });
    assertNoSecrets(untrusted);
    assert.match(checkLine(untrusted.stdout, 'SQL Server'), /^fail .*: tls: TLS negotiation with 127\.0\.0\.1:\d+ failed/);

    envFile.ConnectionStrings = { 'Issuetrak-Databse': `${secure};TrustServerCertificate=true` };
    writeConfig(dir, { envFile });
    const trusted = await runCli(['doctor', '--config-dir', dir], { env: RELEASE });
    assertNoSecrets(trusted);
    assert.match(checkLine(trusted.stdout, 'SQL Server'), /^ok .*logged in/);
  });
});
