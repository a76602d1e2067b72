/**
 * A hit the limiter gave up is never counted by Redis later: not when Redis was down at startup
 * (nothing is queued for the first connection), and not when Redis was stopped with the command
 * already in its socket buffer (the script's fence refuses it when Redis resumes).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { RedisStore, StoreUnavailableError, type RateLimitWindow } from '../../lib/rate-limit/index.js';
import { freePort, startRedis, until, type OwnedRedis } from '../fixtures/redis-server.js';
import { capture, send, startApp, type TestApp } from './helpers.js';

const windows: RateLimitWindow[] = [{ name: 'hour', limit: 1000, period: '1h', periodMs: 3_600_000, slot: 0 }];
const owned: OwnedRedis[] = [];
const apps: TestApp[] = [];
after(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await Promise.all(owned.map((redis) => redis.stop()));
});

/**
 * Sends one request at a time until one of them ends the outage (the second warning); returns how
 * many were decided by Redis: that one only (all before it were the fallback's).
 */
async function untilRecovered(app: TestApp, ip: string, warnings: readonly string[]): Promise<number> {
  await until(async () => {
    await send(app.url, { ip });
    return warnings.length > 1;
  }, 10_000, 'the outage to end');
  return 1;
}

describe('no replays', () => {
  it('Redis down at startup, then up: requests decided by the fallback are never counted in Redis', async () => {
    const port = await freePort();
    const { warnings, logger } = capture();
    const app = await startApp({
      rules: [{ name: 'hour', endpoint: '*', period: '1h', limit: 1000 }],
      logger,
      store: new RedisStore({ url: `redis://127.0.0.1:${port}`, keyPrefix: 'startup:' }),
    });
    apps.push(app);
    const ip = '192.0.2.50';
    const early = await Promise.all(Array.from({ length: 20 }, () => send(app.url, { ip })));
    assert.deepEqual([...new Set(early.map((r) => r.status))], [200], 'admitted by the fallback');
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0] as string, /store unavailable: Redis 127\.0\.0\.1:\d+ \(.*(ECONNREFUSED|closed|lost).*\)/);

    const redis = await startRedis([], { port });
    owned.push(redis);
    let decidedByRedis = await untilRecovered(app, ip, warnings);
    for (let i = 0; i < 5; i++) {
      assert.equal((await send(app.url, { ip })).status, 200);
      decidedByRedis++;
    }
    assert.match(warnings[1] as string, /store recovered: Redis 127\.0\.0\.1:\d+ was unavailable for [\d.]+ s; \d+ request\(s\) were decided without it/);
    assert.equal(await redis.cli('get', `startup:{${ip}}:hour`), String(decidedByRedis), 'only requests decided by Redis are counted there');
  });

  it('hits that waited for a first connection and gave up are not sent when it completes', async () => {
    const redis = await startRedis();
    owned.push(redis);
    redis.pause(); // TCP connects (the kernel accepts), but Redis answers nothing: the first connection hangs
    const { warnings, logger } = capture();
    const app = await startApp({
      rules: [{ name: 'hour', endpoint: '*', period: '1h', limit: 1000 }],
      logger,
      timeoutMs: 300,
      store: new RedisStore({ url: redis.url, keyPrefix: 'waiting:' }),
    });
    apps.push(app);
    const ip = '192.0.2.51';
    const started = performance.now();
    const early = await Promise.all(Array.from({ length: 10 }, () => send(app.url, { ip })));
    assert.deepEqual([...new Set(early.map((r) => r.status))], [200]);
    assert.ok(performance.now() - started >= 290, 'they waited for the first connection, up to timeoutMs');
    assert.match(warnings[0] as string, /no answer within 300 ms/);
    redis.resume();
    const decidedByRedis = await untilRecovered(app, ip, warnings);
    assert.equal(await redis.cli('get', `waiting:{${ip}}:hour`), String(decidedByRedis), 'the 10 early hits were never sent');
  });

  it('a hit given up while Redis is stopped does not count when Redis resumes (the fence)', async () => {
    const redis = await startRedis();
    owned.push(redis);
    const store = new RedisStore({ url: redis.url, keyPrefix: 'fence:' });
    await store.hit('client', windows, Date.now(), false); // connected, clock known; count 1
    redis.pause();
    const started = performance.now();
    const given = await store.hit('client', windows, Date.now(), false, { deadline: performance.now() + 400, keyPrefix: '' }).then(
      () => 'answered',
      (error: unknown) => error,
    );
    assert.ok(given instanceof StoreUnavailableError, String(given));
    assert.match(given.message, /no answer within 400 ms/);
    assert.ok(performance.now() - started >= 399, 'waited for the reply until the deadline');
    // The command sits in the stopped server's socket buffer. Closing our side does not discard it;
    // once resumed, Redis reads it, then sees the connection closed.
    await store.close();
    redis.resume();
    await until(async () => (await redis.cli('client', 'list')).trim().split('\n').length === 1, 5000, 'Redis to drop the old connection');
    assert.equal(await redis.cli('get', 'fence:{client}:hour'), '1', 'the given-up hit counted nowhere');
  });
});
