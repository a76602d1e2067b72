// sqlCheck against the TDS stand-in (a real tedious client over real sockets on 127.0.0.1).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sqlCheck, type SqlCheckResult } from '../../lib/health/index.js';
import { startTdsServer, type TdsServer } from '../fixtures/tds-server.js';
import { closedPort, fakeConfig, PASSWORD, tediousConfig, USER } from './helpers.js';

function assertNoSecret(result: SqlCheckResult): void {
  const text = JSON.stringify(result);
  assert.ok(!text.includes(PASSWORD), `password leaked: ${text}`);
}

function failure(result: SqlCheckResult): { kind: string; message: string } {
  assert.equal(result.ok, false, `expected a failure, got ${JSON.stringify(result)}`);
  assertNoSecret(result);
  return (result as Extract<SqlCheckResult, { ok: false }>).error;
}

describe('sqlCheck against the TDS stand-in', () => {
  let sql: TdsServer;
  before(async () => {
    sql = await startTdsServer({ users: { [USER]: PASSWORD }, version: '16.0.4135.4' });
  });
  after(() => sql.close());

  it('logs in, reads @@VERSION and closes the connection', async () => {
    const before = sql.connections();
    const result = await sqlCheck(tediousConfig(sql.port));
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.ok(result.ok && result.serverVersion.includes('16.0.4135.4'), JSON.stringify(result));
    assert.ok(result.latencyMs >= 0 && result.latencyMs < 5000);
    await sql.idle();
    assert.equal(sql.connections().accepted, before.accepted + 1);
    assert.equal(sql.connections().logins, before.logins + 1);
  });

  it('accepts a loaded config and uses its default connection string', async () => {
    const result = await sqlCheck(fakeConfig(tediousConfig(sql.port)));
    assert.equal(result.ok, true, JSON.stringify(result));
    await sql.idle();
  });

  it('reports a refused login with the server message and closes the connection', async () => {
    const result = await sqlCheck(tediousConfig(sql.port, { password: 'Wrong-Pa55word-123' }));
    const error = failure(result);
    assert.equal(error.kind, 'login');
    assert.match(error.message, new RegExp(`Login failed for user '${USER}'\\.`));
    assert.ok(!error.message.includes('Wrong-Pa55word-123'));
    await sql.idle();
  });

  it('reports an unknown login as login failed too', async () => {
    const error = failure(await sqlCheck(tediousConfig(sql.port, { user: 'nobody' })));
    assert.equal(error.kind, 'login');
    assert.match(error.message, /Login failed for user 'nobody'/);
  });
});

describe('sqlCheck network failures', () => {
  it('classifies a closed port as refused', async () => {
    const port = await closedPort();
    const error = failure(await sqlCheck(tediousConfig(port)));
    assert.equal(error.kind, 'refused');
    assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
  });

  it('times out against a server that accepts and never answers, and closes its socket', async () => {
    const silent = await startTdsServer({ mode: 'silent' });
    try {
      const started = Date.now();
      const result = await sqlCheck(tediousConfig(silent.port), { timeoutMs: 1000 });
      const took = Date.now() - started;
      const error = failure(result);
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /within 1000 ms/);
      assert.ok(took >= 900 && took < 3000, `took ${took} ms`);
      await silent.idle();
      assert.equal(silent.connections().accepted, 1);
    } finally {
      await silent.close();
    }
  });

  it('classifies an unresolvable host (reserved .invalid TLD) as dns', async () => {
    const error = failure(await sqlCheck(tediousConfig(1433, { server: 'sql.invalid' }), { timeoutMs: 3000 }));
    assert.equal(error.kind, 'dns');
    assert.match(error.message, /sql\.invalid/);
  });
});

describe('sqlCheck and TLS', () => {
  let sql: TdsServer;
  before(async () => {
    sql = await startTdsServer({ users: { [USER]: PASSWORD }, tls: true });
  });
  after(() => sql.close());

  it('completes a TLS login when the certificate is trusted', async () => {
    const result = await sqlCheck(tediousConfig(sql.port, { encrypt: true, trust: true }));
    assert.equal(result.ok, true, JSON.stringify(result));
    await sql.idle();
  });

  it('classifies an untrusted (self-signed) certificate as tls', async () => {
    const error = failure(await sqlCheck(tediousConfig(sql.port, { encrypt: true, trust: false })));
    assert.equal(error.kind, 'tls');
    assert.match(error.message, /TrustServerCertificate/);
    await sql.idle();
  });

  it('classifies a server that requires encryption, with Encrypt=false, as tls', async () => {
    const error = failure(await sqlCheck(tediousConfig(sql.port, { encrypt: false })));
    assert.equal(error.kind, 'tls');
    assert.match(error.message, /requires encryption/);
    await sql.idle();
  });
});

describe('sqlCheck config errors', () => {
  it('reports a config whose connection string cannot be used, masking secrets', async () => {
    const config = fakeConfig(new Error(`ConnectionStrings.Issuetrak-Databse: bad value near Password=${PASSWORD}`));
    const error = failure(await sqlCheck(config));
    assert.equal(error.kind, 'config');
    assert.match(error.message, /Issuetrak-Databse/);
  });

  it('reports a config without a connection string', async () => {
    const error = failure(await sqlCheck(fakeConfig(undefined)));
    assert.equal(error.kind, 'config');
  });

  it('reports a tedious configuration tedious itself rejects', async () => {
    const bad = { ...tediousConfig(1433), options: { port: 'not-a-port' as unknown as number } };
    const error = failure(await sqlCheck(bad));
    assert.equal(error.kind, 'config');
  });

  it('rejects a non-positive timeout eagerly', async () => {
    await assert.rejects(sqlCheck(tediousConfig(1433), { timeoutMs: 0 }), TypeError);
  });
});
