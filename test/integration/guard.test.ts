/**
 * createApiGuard itself: startup failures (invalid config, Redis unreachable with OnError closed)
 * are written by startupLog and rethrown; secrets from the config are masked in every log line;
 * a Redis store is used (real Redis) and a live switch from memory to Redis takes effect.
 */
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import express from 'express';
import { Redis } from 'ioredis';
import { createApiGuard, type ApiGuard } from '../../lib/index.js';
import { listen } from '../errors/http-helpers.js';
import { makeConfigDir, readLogs, removeDir, request, waitFor } from './helpers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const UNREACHABLE = 'redis://127.0.0.1:1';

function configDir(base: object): string {
  return makeConfigDir({ base: { Logging: { Directory: 'logs', Console: false }, ...base } });
}

async function serve(guard: ApiGuard): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.use(guard.before);
  app.get('/hit', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(guard.after);
  return listen(app);
}

describe('createApiGuard', () => {
  const cleanups: Array<() => unknown> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  test('an invalid config rejects with the ConfigError, after writing logs/stdout/startup-*.log', async () => {
    const dir = configDir({ RateLimiting: { Rules: [{ Name: 'a', Endpoint: '*', Period: '1 week', Limit: 1 }] } });
    cleanups.push(() => removeDir(dir));
    await assert.rejects(createApiGuard({ configDir: dir, environment: 'Development', env: {} }), (err: Error & { code?: string }) => {
      assert.equal(err.name, 'ConfigError');
      assert.match(err.message, /RateLimiting\.Rules\[0\]\.Period/);
      return true;
    });
    const files = readdirSync(path.join(dir, 'logs', 'stdout'));
    assert.equal(files.length, 1);
    assert.match(readLogs(path.join(dir, 'logs', 'stdout')), /"1 week" is not a period/);
  });

  test('Redis unreachable: OnError closed refuses to start, open starts with a warning', async () => {
    const closed = configDir({ RateLimiting: { Store: 'redis', Redis: { Url: UNREACHABLE, OnError: 'closed', TimeoutMs: 200 } } });
    cleanups.push(() => removeDir(closed));
    await assert.rejects(createApiGuard({ configDir: closed, environment: 'Development', env: {}, watch: false }), /OnError is "closed"/);
    assert.equal(readdirSync(path.join(closed, 'logs', 'stdout')).length, 1);

    const open = configDir({ RateLimiting: { Store: 'redis', Redis: { Url: UNREACHABLE, OnError: 'open', TimeoutMs: 200 } } });
    cleanups.push(() => removeDir(open));
    const guard = await createApiGuard({ configDir: open, environment: 'Development', env: {}, watch: false });
    cleanups.push(() => guard.close());
    const server = await serve(guard);
    cleanups.push(() => server.close());
    assert.equal((await request(`${server.url}/hit`, { auth: false })).status, 200, 'fails open');
    await waitFor('the warning', () => /RateLimiting: Redis \(standalone 127\.0\.0\.1:\d+\/0\) .*ECONNREFUSED.*Requests are counted in-process until it answers/.test(readLogs(path.join(open, 'logs'))));
  });

  test('guard.before answers its own 429 in the envelope even without guard.after', async () => {
    const dir = configDir({ RateLimiting: { Rules: [{ Name: 'one', Endpoint: '*', Period: '1m', Limit: 1 }] } });
    cleanups.push(() => removeDir(dir));
    const guard = await createApiGuard({
      configDir: dir,
      environment: 'Development',
      env: {},
      watch: false,
      overrides: { Logging: { LogLevel: { Default: 'Information' } } },
    });
    cleanups.push(() => guard.close());
    const app = express();
    app.use(guard.before);
    app.get('/hit', (_req, res) => {
      res.json({ ok: true });
    });
    let hostHandlerSaw = 0;
    app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      hostHandlerSaw++;
      res.status(500).send(String(err));
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hit`;
    assert.equal((await request(url, { auth: false })).status, 200);
    const rejected = await request(url, { auth: false });
    assert.equal(rejected.status, 429);
    assert.equal(rejected.json().information[0].type, 'RateLimit');
    assert.equal(rejected.json().traceId, rejected.headers['x-trace-id']);
    assert.equal(hostHandlerSaw, 0, 'the rejection never reached the app');
    // One line per refusal: the request line names the rule; the mapper's own line is Debug only.
    await guard.close();
    const lines = readLogs(path.join(dir, 'logs'))
      .split('\n')
      .filter((line) => line.includes(rejected.headers['x-trace-id'] as string))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((line) => [line.category, line.level, line.status, line.rule]),
      [['Http', 'Warning', 429, 'one']],
    );
  });

  test('config secrets are masked in log lines written through guard.logger', async () => {
    const dir = configDir({ SecureStorageKeys: { 'KeyForEncrypter-2': 'signing-key-that-must-not-leak' } });
    cleanups.push(() => removeDir(dir));
    const guard = await createApiGuard({ configDir: dir, environment: 'Development', env: {}, watch: false });
    guard.logger.warn('host code logged the key signing-key-that-must-not-leak and dev-placeholder-password by mistake');
    await guard.close();
    const logs = readLogs(path.join(dir, 'logs'));
    assert.match(logs, /host code logged the key \*\*\* and \*\*\* by mistake/);
    assert.ok(!logs.includes('must-not-leak') && !logs.includes('dev-placeholder-password'));
  });

  test('a live switch from the memory store to Redis counts in Redis from then on', async () => {
    const prefix = `it-guard-${process.pid}-${Date.now()}:`;
    const rules = [{ Name: 'minute', Endpoint: '*', Period: '1m', Limit: 100 }];
    const dir = configDir({ RateLimiting: { Store: 'memory', Rules: rules } });
    cleanups.push(() => removeDir(dir));
    const redis = new Redis(REDIS_URL);
    cleanups.push(async () => {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    });
    const guard = await createApiGuard({ configDir: dir, environment: 'Development', env: {}, debounceMs: 50 });
    cleanups.push(() => guard.close());
    const server = await serve(guard);
    cleanups.push(() => server.close());
    assert.equal((await request(`${server.url}/hit`, { auth: false })).status, 200);
    assert.deepEqual(await redis.keys(`${prefix}*`), []);

    writeFileSync(
      path.join(dir, 'appsettings.json'),
      JSON.stringify({
        Logging: { Directory: 'logs', Console: false },
        RateLimiting: { Store: 'redis', Redis: { Url: REDIS_URL, KeyPrefix: prefix, OnError: 'closed' }, Rules: rules },
      }),
    );
    await waitFor('the store switch', () => guard.config.RateLimiting.Store === 'redis');
    const reply = await request(`${server.url}/hit`, { auth: false });
    assert.equal(reply.status, 200);
    assert.match(String(reply.headers.ratelimit), /"minute";r=99;/, 'a new store starts counting afresh');
    assert.ok((await redis.keys(`${prefix}*`)).length > 0, 'the hit was counted in Redis');
  });
});
