/**
 * The example on the Redis store (the real Redis at REDIS_URL): requests are counted in Redis under
 * the configured prefix, a second app instance shares the counters, and /health checks the store.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { RunningServer } from '../../examples/issuetrak-style/app.js';
import { baseConfig, makeConfigDir, removeDir, request, startExample } from './helpers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('the example on a shared Redis store', () => {
  const prefix = `it-example-${process.pid}-${Date.now()}:`;
  let dir: string;
  let redis: Redis;
  let one: RunningServer;
  let two: RunningServer;
  before(async () => {
    redis = new Redis(REDIS_URL);
    dir = makeConfigDir({
      base: {
        ...baseConfig([{ Name: 'minute', Endpoint: 'get:/api/v2/Issues/*', Period: '1m', Limit: 3 }]),
        RateLimiting: {
          Store: 'redis',
          Redis: { Url: REDIS_URL, KeyPrefix: prefix, OnError: 'closed' },
          Rules: [{ Name: 'minute', Endpoint: 'get:/api/v2/Issues/*', Period: '1m', Limit: 3 }],
        },
      },
    });
    one = await startExample(dir);
    two = await startExample(dir);
  });
  after(async () => {
    await one?.close();
    await two?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    removeDir(dir);
  });

  test('two instances share one limit through Redis', async () => {
    assert.equal((await request(`${one.url}/Issues/1`)).status, 200);
    assert.equal((await request(`${two.url}/Issues/1`)).status, 200);
    assert.equal((await request(`${one.url}/Issues/1`)).status, 200);
    const rejected = await request(`${two.url}/Issues/1`);
    assert.equal(rejected.status, 429);
    assert.equal(rejected.json().information[0].message, 'API calls quota exceeded! maximum admitted 3 per 1m.');
    assert.ok((await redis.keys(`${prefix}*`)).length > 0);
  });

  test('/health checks the Redis store', async () => {
    const reply = await request(`${one.url}/health`, { auth: false });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.json().checks.store.status, 'Healthy');
    assert.equal(reply.json().checks.store.kind, 'redis');
  });
});
