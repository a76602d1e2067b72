/**
 * createApiGuard({ redis }): your own ioredis client backs RateLimiting.Store "redis" (Url, Mode and
 * Nodes are not used), the startup check runs against it, and close() leaves it open.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import express from 'express';
import { Redis } from 'ioredis';
import { createApiGuard } from '../../lib/guard/index.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

test('the guard counts through the client it is given and leaves it open', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'guard-redis-option-'));
  const prefix = `guard-client-${process.pid}-${Date.now()}:`;
  const client = new Redis(REDIS_URL);
  t.after(async () => {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    client.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });
  writeFileSync(
    path.join(dir, 'appsettings.json'),
    JSON.stringify({
      // The Url points nowhere: with a client given it is not used.
      RateLimiting: { Store: 'redis', Redis: { Url: 'redis://127.0.0.1:1', KeyPrefix: prefix, OnError: 'closed' }, Rules: [{ Name: 'minute', Endpoint: '*', Period: '1m', Limit: 2 }] },
      Logging: { Directory: 'logs', Console: false },
      Https: { Required: false },
    }),
  );
  const guard = await createApiGuard({ configDir: dir, environment: 'Test', env: {}, watch: false, redis: client });
  const app = express();
  app.use(guard.before);
  app.get('/', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(guard.after);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const seen = [];
  for (let i = 0; i < 3; i++) seen.push((await fetch(url)).status);
  assert.deepEqual(seen, [200, 200, 429]);
  assert.equal(await client.get(`${prefix}{127.0.0.1}:minute`), '2');
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await guard.close();
  assert.equal(client.status, 'ready', 'the client is still open');
  assert.equal(await client.ping(), 'PONG');
});

test('a redis option that is not an ioredis client is refused with a clear message', async () => {
  await assert.rejects(
    createApiGuard({ configDir: tmpdir(), redis: { url: 'redis://x' } as never }),
    /redis: expected an ioredis client \(new Redis\(…\) or new Cluster\(…\)\)/,
  );
});
