// health() over real HTTP (express 5 on 127.0.0.1) with the SQL check hitting the TDS stand-in.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { health, type HealthOptions } from '../../lib/health/index.js';
import { startTdsServer, type TdsServer } from '../fixtures/tds-server.js';
import { fakeConfig, PASSWORD, tediousConfig, USER } from './helpers.js';

interface Served {
  url: string;
  close(): Promise<void>;
}

async function serve(options: HealthOptions): Promise<Served> {
  const app = express();
  app.get('/health', health(options));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/health`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function get(url: string): Promise<{ status: number; text: string; body: any; headers: Headers }> {
  const response = await fetch(url);
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text), headers: response.headers };
}

const SECRETS = [PASSWORD, 'Password=', 'storage-key-secret-value', 'session-signing-secret-value', USER];

function assertNoSecrets(text: string): void {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `"${secret}" leaked into ${text}`);
}

describe('health() over HTTP', () => {
  let sql: TdsServer;
  const running: Served[] = [];
  const start = async (options: HealthOptions): Promise<string> => {
    const served = await serve(options);
    running.push(served);
    return served.url;
  };
  before(async () => {
    sql = await startTdsServer({ users: { [USER]: PASSWORD } });
  });
  after(async () => {
    await Promise.all(running.map((s) => s.close()));
    await sql.close();
  });

  it('answers 200 Healthy with config, store and SQL when the login works, without secrets', async () => {
    const url = await start({ config: fakeConfig(tediousConfig(sql.port)) });
    const { status, body, text, headers } = await get(url);
    assert.equal(status, 200, text);
    assert.equal(body.status, 'Healthy');
    assert.equal(headers.get('cache-control'), 'no-store');
    assert.match(headers.get('content-type') ?? '', /application\/json/);
    assert.deepEqual(Object.keys(body.checks), ['config', 'store', 'sql']);
    assert.equal(body.checks.config.status, 'Healthy');
    assert.equal(body.checks.config.environment, 'release');
    assert.deepEqual(body.checks.store, { status: 'Healthy', required: true, kind: 'memory' });
    assert.equal(body.checks.sql.status, 'Healthy');
    assert.equal(body.checks.sql.server, '127.0.0.1');
    assert.equal(body.checks.sql.port, sql.port);
    assert.match(body.checks.sql.serverVersion, /Microsoft SQL Server/);
    assertNoSecrets(text);
    await sql.idle();
  });

  it('answers 503 Unhealthy with the login error when the login is refused, without secrets', async () => {
    const url = await start({ config: fakeConfig(tediousConfig(sql.port, { password: 'Not-The-Right-One-9' })) });
    const { status, body, text } = await get(url);
    assert.equal(status, 503, text);
    assert.equal(body.status, 'Unhealthy');
    assert.equal(body.checks.sql.status, 'Unhealthy');
    assert.equal(body.checks.sql.error.kind, 'login');
    assert.match(body.checks.sql.error.message, /Login failed for user/);
    assert.ok(!text.includes('Not-The-Right-One-9'));
    // The login name is in the server's message; the brief allows it there but not elsewhere.
    assertNoSecrets(text.replaceAll(`Login failed for user '${USER}'`, ''));
    await sql.idle();
  });

  it('skips SQL (200) when no connection string is set, and requires it with sql: true', async () => {
    const auto = await get(await start({ config: fakeConfig(undefined) }));
    assert.equal(auto.status, 200, auto.text);
    assert.equal(auto.body.checks.sql.status, 'Skipped');
    assert.equal(auto.body.checks.sql.required, false);

    const forced = await get(await start({ config: fakeConfig(undefined), sql: true }));
    assert.equal(forced.status, 503, forced.text);
    assert.equal(forced.body.checks.sql.error.kind, 'config');
  });

  it('reuses a report for cacheMs so /health cannot hammer the database', async () => {
    let now = 1_000_000;
    const before = sql.connections().accepted;
    const url = await start({ config: fakeConfig(tediousConfig(sql.port)), cacheMs: 5000, clock: () => now });
    const results = await Promise.all([get(url), get(url), get(url), get(url)]);
    assert.deepEqual(results.map((r) => r.status), [200, 200, 200, 200]);
    assert.equal(sql.connections().accepted, before + 1, 'concurrent requests share one check');
    now += 4000;
    await get(url);
    assert.equal(sql.connections().accepted, before + 1, 'still cached within cacheMs');
    now += 1001;
    await get(url);
    assert.equal(sql.connections().accepted, before + 2, 'checked again after cacheMs');
    await sql.idle();
  });

  it('hides server details with details: false', async () => {
    const { status, body, text } = await get(await start({ config: fakeConfig(tediousConfig(sql.port)), details: false }));
    assert.equal(status, 200, text);
    assert.equal(body.checks.sql.server, undefined);
    assert.equal(body.checks.sql.serverVersion, undefined);
    assert.ok(!text.includes(String(sql.port)));
  });

  it('runs host checks: a failing required one gives 503, a failing optional one Degraded 200', async () => {
    const base = { config: fakeConfig(undefined) };
    const required = await get(await start({ ...base, checks: { queue: () => ({ ok: false, error: 'queue down', depth: 3 }) } }));
    assert.equal(required.status, 503, required.text);
    assert.deepEqual(required.body.checks.queue.error, { message: 'queue down' });
    assert.equal(required.body.checks.queue.depth, 3);

    const optional = await get(
      await start({ ...base, checks: { cdn: { check: async () => ({ ok: false }), required: false } } }),
    );
    assert.equal(optional.status, 200, optional.text);
    assert.equal(optional.body.status, 'Degraded');

    const throwing = await get(
      await start({ ...base, checks: { boom: () => { throw new Error(`bad ${PASSWORD}`); } } }),
    );
    assert.equal(throwing.status, 503);
    assert.equal(throwing.body.checks.boom.status, 'Unhealthy');
    assertNoSecrets(throwing.text);
  });

  it('bounds a host check that never answers with timeoutMs', async () => {
    const { status, body } = await get(
      await start({ config: fakeConfig(undefined), timeoutMs: 200, checks: { hang: () => new Promise(() => {}) } }),
    );
    assert.equal(status, 503);
    assert.match(body.checks.hang.error.message, /did not answer within 200 ms/);
  });

  it('reports the store: a store check when given, Skipped for Redis without one', async () => {
    const skipped = await get(await start({ config: fakeConfig(undefined, 'redis') }));
    assert.equal(skipped.body.checks.store.status, 'Skipped');
    assert.equal(skipped.body.checks.store.kind, 'redis');

    const down = await get(
      await start({ config: fakeConfig(undefined, 'redis'), store: async () => ({ ok: false, latencyMs: 3, error: 'ECONNREFUSED' }) }),
    );
    assert.equal(down.status, 503);
    assert.equal(down.body.checks.store.kind, 'redis');
    assert.equal(down.body.checks.store.latencyMs, 3);
  });

  it('reports a config getter that throws as an Unhealthy config check', async () => {
    const { status, body } = await get(
      await start({
        config: () => {
          throw new Error('appsettings.json:3:7 invalid JSON');
        },
      }),
    );
    assert.equal(status, 503);
    assert.equal(body.checks.config.status, 'Unhealthy');
    assert.match(body.checks.config.error.message, /appsettings\.json:3:7/);
  });

  it('validates options eagerly', () => {
    assert.throws(() => health({ cachems: 1 } as any), /cachems: unknown option. Did you mean "cacheMs"\?/);
    assert.throws(() => health({ cacheMs: -1 }), /cacheMs/);
    assert.throws(() => health({ sql: 'yes' as any }), /sql: expected true, false or "auto"/);
    assert.throws(() => health({ checks: { sql: () => ({ ok: true }) } }), /reserved/);
  });
});
