import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTdsServer, type TdsServer } from '../fixtures/tds-server.js';
import {
  assertNoSecrets,
  checkLine,
  ENCRYPTER_KEY,
  healthyBase,
  healthyEnvFile,
  ISSUETRAK_KEYS,
  RELEASE,
  runCli,
  SIGNING_KEY,
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

// Each test spawns the CLI and waits on it; running a few at once keeps the folder fast.
describe('doctor-config', { concurrency: 3 }, () => {
  test('invalid JSON in appsettings.json: file:line:column, and the other checks still run', async (t) => {
    const dir = tempDir(t);
    const base = `{\n  "RateLimiting": {\n    "Enabled": true\n    "Store": "memory"\n  }\n}\n`;
    writeConfig(dir, { base, envFile: { ...healthyEnvFile(sql.port), Doctor: { RequiredKeys: ISSUETRAK_KEYS } } });
    const result = await runCli(['doctor', '--config-dir', dir], { env: RELEASE });
    assertNoSecrets(result);
    assert.equal(result.code, 1);
    assert.match(checkLine(result.stdout, 'appsettings.json'), /^fail\s+appsettings\.json\s+appsettings\.json:4:5 /);
    assert.match(result.stdout, /4 \|\s+"Store": "memory"/);
    assert.match(result.stdout, /fix: correct appsettings\.json/);
    // Independent checks go on: the required keys (and their list) are read from the environment file as written,
    // the SQL login is tried, and the log folder falls back to ./logs.
    assert.match(checkLine(result.stdout, 'environment'), /^ok .*appsettings\.release\.json is valid JSON/);
    assert.match(checkLine(result.stdout, 'required keys'), /^ok .*configuration did not load/);
    assert.match(checkLine(result.stdout, 'SQL Server'), /^ok /);
    assert.match(checkLine(result.stdout, 'log folders'), new RegExp(`^ok .*${join(dir, 'logs').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(checkLine(result.stdout, 'rate-limit rules'), /^warn .*did not load/);
  });

  test('an AppSettings.json spelt in another case is checked, as the loader finds it', async (t) => {
    const dir = tempDir(t);
    writeConfig(dir, { envFile: healthyEnvFile(sql.port) });
    writeFileSync(join(dir, 'AppSettings.json'), '{\n  "RateLimiting": {\n    "Enabled": true\n    "Store": "memory"\n  }\n}\n');
    const result = await runCli(['doctor', '--config-dir', dir], { env: RELEASE });
    assertNoSecrets(result);
    assert.match(checkLine(result.stdout, 'appsettings.json'), /^fail\s+appsettings\.json\s+AppSettings\.json:4:5 /);
  });

  test('invalid JSON in the environment file, on the line holding a secret, shows the place but not the secret', async (t) => {
    const dir = tempDir(t);
    const envFile = [
      '{',
      `  "ConnectionStrings": { "Issuetrak-Databse": "Server=127.0.0.1,${sql.port};User Id=${SQL_USER};Password=${SQL_PASSWORD}" },`,
      `  "SecureStorageKeys": { "KeyForEncrypter-1": "${ENCRYPTER_KEY}" },`,
      `  "SessionSigningKey": '${SIGNING_KEY}'`,
      '}',
    ].join('\n');
    writeConfig(dir, { base: healthyBase(dir), envFile });
    const result = await runCli(['doctor', '--config-dir', dir], { env: RELEASE });
    assertNoSecrets(result);
    assert.equal(result.code, 1);
    assert.match(checkLine(result.stdout, 'appsettings.json'), /^ok /);
    assert.match(checkLine(result.stdout, 'environment'), /^fail .*appsettings\.release\.json:4:\d+ /);
    assert.match(result.stdout, /4 \|\s+"SessionSigningKey": \*\*\*/);
  });

  test('a missing environment file is information, naming the files that are there', async (t) => {
    const dir = tempDir(t);
    writeConfig(dir, { base: healthyBase(dir), envFile: healthyEnvFile(sql.port) });
    const result = await runCli(['doctor', '--config-dir', dir], { env: { ASPNETCORE_ENVIRONMENT: 'staging' } });
    assertNoSecrets(result);
    assert.match(
      checkLine(result.stdout, 'environment'),
      /^info .*staging \(from ASPNETCORE_ENVIRONMENT\); no appsettings\.staging\.json in .* \(found: appsettings\.release\.json\); it is optional/,
    );
    assert.match(result.stdout, /fix: if one of those files is meant for this server, set ASPNETCORE_ENVIRONMENT to its name \(e\.g\. release\)/);
    // The keys the base file requires live in the release file, so they are missing here: that fails.
    assert.match(checkLine(result.stdout, 'required keys'), /^fail /);
    assert.equal(result.code, 1);
  });

  const MISSING: readonly [string, (env: Record<string, unknown>) => void, RegExp][] = [
    ['the connection string', (env) => delete env.ConnectionStrings, /missing or empty: ConnectionStrings:Issuetrak-Databse$/],
    ['the encrypter key', (env) => (env.SecureStorageKeys = { 'KeyForEncrypter-1': '' }), /missing or empty: SecureStorageKeys:KeyForEncrypter-1$/],
    ['the session signing key', (env) => delete env.SessionSigningKey, /missing or empty: SessionSigningKey$/],
  ];

  for (const [what, remove, expected] of MISSING) {
    test(`missing ${what} fails the required-keys check without printing the other secrets`, async (t) => {
      const dir = tempDir(t);
      const envFile = healthyEnvFile(sql.port);
      remove(envFile);
      writeConfig(dir, { base: healthyBase(dir), envFile });
      const result = await runCli(['doctor', '--config-dir', dir], { env: RELEASE });
      assertNoSecrets(result);
      assert.equal(result.code, 1);
      assert.match(checkLine(result.stdout, 'required keys'), expected);
      assert.match(result.stdout, /fix: add to appsettings\.release\.json/);
      if (what === 'the connection string') assert.match(checkLine(result.stdout, 'SQL Server'), /^info .*not checked: no ConnectionStrings\.Issuetrak-Databse/);
      else assert.match(checkLine(result.stdout, 'SQL Server'), /^ok /);
    });
  }

  test('a secret given as an environment variable counts, and is not printed', async (t) => {
    const dir = tempDir(t);
    const envFile = healthyEnvFile(sql.port);
    delete envFile.SessionSigningKey;
    writeConfig(dir, { base: healthyBase(dir), envFile });
    const result = await runCli(['doctor', '--config-dir', dir, '--json'], { env: { ...RELEASE, SessionSigningKey: SIGNING_KEY } });
    assertNoSecrets(result);
    const report = JSON.parse(result.stdout) as { checks: { id: string; status: string }[] };
    assert.equal(report.checks.find((c) => c.id === 'required-keys')?.status, 'ok');
  });

  test('a config folder that does not exist fails the first check', async (t) => {
    const dir = tempDir(t);
    const result = await runCli(['doctor', '--config-dir', join(dir, 'nope')]);
    assert.equal(result.code, 1);
    assert.match(checkLine(result.stdout, 'appsettings.json'), /^fail .*does not exist/);
    assert.match(result.stdout, /fix: pass --config-dir DIR/);
  });
});
