// sqlCheck and health() with a config loaded from real appsettings files by lib/config (integration).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../lib/config/index.js';
import { hasConnectionString, health, sqlCheck } from '../../lib/health/index.js';
import { startTdsServer, type TdsServer } from '../fixtures/tds-server.js';

const PASSWORD = 'Loaded-Config-Pa55';

describe('with a config loaded from appsettings files', () => {
  let sql: TdsServer;
  let dir: string;
  const load = (password: string) => {
    fs.writeFileSync(
      path.join(dir, 'appsettings.release.json'),
      JSON.stringify({
        ConnectionStrings: {
          'Issuetrak-Databse': `Server=127.0.0.1,${sql.port};Database=Issuetrak;User Id=web;Password=${password};Encrypt=false`,
        },
        SecureStorageKeys: { 'KeyForEncrypter-1': 'a-storage-key-value' },
        SessionSigningKey: 'a-session-signing-key',
      }),
    );
    return loadConfig({ dir, environment: 'release', env: {} });
  };
  before(async () => {
    sql = await startTdsServer({ users: { web: PASSWORD } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'health-config-'));
    fs.writeFileSync(path.join(dir, 'appsettings.json'), '{ "Logging": { "Console": false } }');
  });
  after(async () => {
    await sql.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sqlCheck logs in through the parsed connection string', async () => {
    const result = await sqlCheck(load(PASSWORD));
    assert.equal(result.ok, true, JSON.stringify(result));
    await sql.idle();
  });

  it('health() answers 503 on a wrong password without any secret in the body', async () => {
    const wrong = 'Wrong-Loaded-Pa55';
    const report = await health({ config: load(wrong), cacheMs: 0 }).report();
    assert.equal(report.status, 'Unhealthy');
    assert.equal(report.checks.sql?.error?.kind, 'login');
    const text = JSON.stringify(report);
    for (const secret of [wrong, PASSWORD, 'a-storage-key-value', 'a-session-signing-key', 'Password=']) {
      assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    }
    await sql.idle();
  });
});

// connectionString() matches names ignoring case (as ASP.NET Core does); 'auto' must agree with it.
it('hasConnectionString finds a connection string whose name differs in case', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'health-case-'));
  try {
    fs.writeFileSync(
      path.join(folder, 'appsettings.json'),
      JSON.stringify({ ConnectionStrings: { 'issuetrak-databse': 'Server=127.0.0.1,1433;Database=Issuetrak;User Id=web;Password=x-pass-123' } }),
    );
    const config = loadConfig({ dir: folder, environment: 'Production', env: {} });
    assert.doesNotThrow(() => config.connectionString());
    assert.equal(hasConnectionString(config), true);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
