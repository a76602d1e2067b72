/** Store failure: a test-owned redis-server killed under load and restarted, in open and closed mode. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RedisStore } from '../../lib/rate-limit/index.js';
import { startRedis, until, type OwnedRedis } from '../fixtures/redis-server.js';
import { capture, send, startApp, statuses, type TestApp } from './helpers.js';

const rules = [
  { name: 'burst', endpoint: '*', period: '1s', limit: 100_000 },
  { name: 'hour', endpoint: '*', period: '1h', limit: 100_000 },
];

/** Keeps 4 requests in flight until stopped; records every status. */
function load(url: string, ip: string): { statuses: number[]; stop(): Promise<void> } {
  const seen: number[] = [];
  let running = true;
  const workers = Array.from({ length: 4 }, async () => {
    while (running) seen.push((await send(url, { ip })).status);
  });
  return {
    statuses: seen,
    stop: async () => {
      running = false;
      await Promise.all(workers);
    },
  };
}

describe('Redis outage', () => {
  let redis: OwnedRedis;
  let app: TestApp | undefined;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await app?.close();
    await redis.stop();
  });

  it('open: no 5xx, one warning when it starts and one line when it ends (duration, requests decided), counting resumes', async () => {
    const { warnings, logger } = capture();
    app = await startApp({ rules, logger, onError: 'open', store: new RedisStore({ url: redis.url, keyPrefix: 'open:' }) });
    const traffic = load(app.url, '192.0.2.1');
    await until(() => traffic.statuses.length >= 20, 5000, 'traffic on Redis');
    await redis.kill();
    await until(() => warnings.length === 1, 5000, 'the outage warning');
    const atOutage = traffic.statuses.length;
    await until(() => traffic.statuses.length >= atOutage + 20, 5000, 'traffic during the outage');
    await redis.restart();
    await until(() => warnings.length >= 2, 6000, 'the recovery line');
    const atRecovery = traffic.statuses.length;
    await until(() => traffic.statuses.length >= atRecovery + 20, 5000, 'traffic after recovery');
    await traffic.stop();
    await app.close();
    app = undefined;

    assert.deepEqual([...new Set(traffic.statuses)], [200], 'every request admitted');
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0] as string, /store unavailable: Redis 127\.0\.0\.1:\d+ \(.*\); admitting requests and counting them in this process \(each limit divided by instances = 1\)/);
    const ended = /unavailable for ([\d.]+) s; (\d+) request\(s\) were decided without it/.exec(warnings[1] as string);
    assert.ok(ended, warnings[1]);
    assert.ok(Number(ended[2]) >= 20, `requests decided by the fallback: ${ended[2]}`);
    const counted = Number(await redis.cli('get', 'open:{192.0.2.1}:hour'));
    assert.ok(counted >= 20, 'the restarted (empty) Redis counts again');
    assert.ok(Number(await redis.cli('pttl', 'open:{192.0.2.1}:hour')) > 0);
  });

  it('closed: 503 with Retry-After during the outage, without waiting; 200 again after', async () => {
    const { warnings, logger } = capture();
    app = await startApp({ rules, logger, onError: 'closed', store: new RedisStore({ url: redis.url, keyPrefix: 'closed:' }) });
    assert.equal((await send(app.url)).status, 200);
    await redis.kill();
    const started = performance.now();
    const during = await send(app.url);
    assert.equal(during.status, 503);
    assert.equal(during.headers.get('retry-after'), '1');
    assert.equal((app.errors.at(-1) as { type: string }).type, 'Unavailable');
    assert.equal((await send(app.url)).status, 503);
    assert.ok(performance.now() - started < 2500, 'a lost connection is an outage at once: no 5 s timeout is waited for');
    await redis.restart();
    await until(async () => (await send(app!.url)).status === 200, 6000, 'requests admitted again');
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0] as string, /answering 503/);
    await app.close();
    app = undefined;
  });

  it('a connection the store owns is started again if ioredis gives up on it (status "end")', async () => {
    const { warnings, logger } = capture();
    const store = new RedisStore({ url: redis.url, keyPrefix: 'revive:' });
    app = await startApp({ rules, logger, store });
    assert.equal((await send(app.url)).status, 200);
    // What ioredis does to a Sentinel client when a failover notice lands while it asks the Sentinels.
    store.client.disconnect();
    await until(() => store.client.status === 'ready', 5000, 'the connection to come back');
    await until(async () => (await send(app!.url)).status === 200 && warnings.length !== 1, 5000, 'counting in Redis again');
    assert.ok(Number(await redis.cli('get', 'revive:{127.0.0.1}:hour')) >= 2);
    await app.close();
    app = undefined;
  });

  it('instances: during an outage each process grants ceil(limit / instances)', async () => {
    const { logger } = capture();
    app = await startApp({
      rules: [{ name: 'minute', endpoint: '*', period: '1m', limit: 10 }],
      instances: 4,
      logger,
      store: new RedisStore({ url: redis.url, keyPrefix: 'instances:' }),
    });
    await redis.kill();
    const seen = await statuses(app.url, 5, { ip: '192.0.2.9' });
    assert.deepEqual(seen, [200, 200, 200, 429, 429], 'ceil(10 / 4) = 3 in this process');
    const refused = await send(app.url, { ip: '192.0.2.9' });
    assert.equal(refused.headers.get('ratelimit-policy'), '"minute";q=3;w=60', 'the headers say what this process enforces');
    await redis.restart();
    await app.close();
    app = undefined;
  });

  it('a store that does not bound its calls: the limiter stops waiting at timeoutMs', async () => {
    const { warnings, logger } = capture();
    const silent = { hit: () => new Promise<never>(() => {}) };
    app = await startApp({ rules, logger, timeoutMs: 50, store: silent });
    const started = Date.now();
    const response = await send(app.url);
    assert.equal(response.status, 200);
    assert.ok(Date.now() - started >= 45);
    assert.equal(response.headers.get('ratelimit'), '"hour";r=99999;t=3600', 'counted in the fallback store');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] as string, /no answer within 50 ms/);
    await app.close();
    app = undefined;
  });
});
