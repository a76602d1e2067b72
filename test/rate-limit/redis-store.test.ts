/** RedisStore on real Redis: semantics, key layout and TTLs, one command per request, SCRIPT FLUSH, health check. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RedisStore, redisHealthCheck, type RateLimitWindow } from '../../lib/rate-limit/index.js';
import { REDIS_URL, send, sharedRedis, startApp, statuses, uniquePrefix, type TestApp } from './helpers.js';
import { freePort, startRedis, type OwnedRedis } from '../fixtures/redis-server.js';

const prefix = uniquePrefix('store');
const apps: TestApp[] = [];
const { redis, cleanup } = sharedRedis(prefix, apps);
after(cleanup);

const rules = [
  { name: 'burst', endpoint: '*', period: '2s', limit: 3 },
  { name: 'writes', endpoint: 'post:*', period: '1m', limit: 2 },
];

describe('RedisStore on the shared Redis', () => {
  it('admits up to the limit across windows, then refuses with Retry-After from the key TTL', async () => {
    const app = await startApp({ rules, store: new RedisStore({ url: REDIS_URL, keyPrefix: prefix }) });
    apps.push(app);
    const ip = '198.51.100.10';
    assert.deepEqual(await statuses(app.url, 3, { method: 'POST', ip }), [200, 200, 429]);
    assert.equal((app.errors.at(-1) as { rule: string }).rule, 'writes');
    assert.equal((await send(app.url, { ip })).status, 200, 'burst still had one left (the refused POST counted nowhere)');
    const refused = await send(app.url, { ip });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '2');
    assert.equal(refused.headers.get('ratelimit'), '"burst";r=0;t=2');

    const burstKey = `${prefix}{${ip}}:burst`;
    const writesKey = `${prefix}{${ip}}:writes`;
    assert.equal(await redis.get(burstKey), '3');
    assert.equal(await redis.get(writesKey), '2');
    for (const key of [burstKey, writesKey]) {
      const ttl = await redis.pttl(key);
      assert.ok(ttl > 0, `${key} has a TTL (${ttl})`);
    }
  });

  it('stackBlockedRequests counts refused requests in Redis too', async () => {
    const app = await startApp({ rules, stackBlockedRequests: true, keyPrefix: 'stack:', store: new RedisStore({ url: REDIS_URL, keyPrefix: prefix }) });
    apps.push(app);
    const ip = '198.51.100.11';
    assert.deepEqual(await statuses(app.url, 4, { method: 'POST', ip }), [200, 200, 429, 429]);
    assert.equal(await redis.get(`${prefix}stack:{${ip}}:writes`), '4');
    assert.equal(await redis.get(`${prefix}stack:{${ip}}:burst`), '4');
  });

  it('works with a client the app owns, and leaves it open on close()', async () => {
    const client = new Redis(REDIS_URL);
    const store = new RedisStore({ client, keyPrefix: prefix });
    const app = await startApp({ rules, store, keyPrefix: 'own-client:' });
    assert.deepEqual(await statuses(app.url, 4, { ip: '198.51.100.12' }), [200, 200, 200, 429]);
    await app.close();
    assert.equal(await client.ping(), 'PONG');
    client.disconnect();
  });

  it('update() swaps stores and closes the one it replaces', async () => {
    const app = await startApp({ rules });
    apps.push(app);
    const ip = '198.51.100.13';
    assert.deepEqual(await statuses(app.url, 2, { ip }), [200, 200]);
    const store = new RedisStore({ url: REDIS_URL, keyPrefix: `${prefix}swap:` });
    app.limiter.update({ store });
    assert.equal(app.limiter.store, store);
    assert.deepEqual(await statuses(app.url, 4, { ip }), [200, 200, 200, 429], 'counting starts over in Redis');
    app.limiter.update({ store: 'memory' });
    if (store.client.status !== 'end') await once(store.client, 'end', { signal: AbortSignal.timeout(5000) });
    assert.equal(store.client.status, 'end', 'the replaced store was closed');
    assert.deepEqual(await statuses(app.url, 4, { ip }), [200, 200, 200, 429], 'a fresh memory store starts from zero');
  });

  it('hits issued through one long turn of the event loop are all counted in Redis, none given up', async () => {
    // Hundreds of requests arriving at once on a busy machine: one turn of the loop took seconds.
    // Commands held for the whole turn reached Redis after their fence, were given up and decided
    // by the fallback with a full limit of its own (158-200 admitted of 100 in the 4-process check).
    const store = new RedisStore({ url: REDIS_URL, keyPrefix: prefix });
    const windows: RateLimitWindow[] = [{ name: 'turn', limit: 100_000, period: '1m', periodMs: 60_000, slot: 0 }];
    try {
      await store.hit('warm', windows, Date.now(), false); // connected, clock known
      const hits: Promise<unknown>[] = [];
      const turnEnds = performance.now() + 2500;
      // Each hit allows 2000 ms (its fence at 1500 ms); the turn lasts 2500 ms.
      while (performance.now() < turnEnds) {
        hits.push(store.hit('long-turn', windows, Date.now(), false, { deadline: performance.now() + 2000, keyPrefix: '' }).then(() => 'counted', (error: Error) => error.message));
        const next = performance.now() + 2;
        while (performance.now() < next);
      }
      const outcomes = await Promise.all(hits);
      const failures = outcomes.filter((o) => o !== 'counted');
      assert.deepEqual(failures.slice(0, 3), [], `${failures.length} of ${hits.length} given up`);
      assert.equal(Number(await redis.get(`${prefix}{long-turn}:turn`)), hits.length);
    } finally {
      await store.close();
    }
  });

  it('redisHealthCheck: ok against Redis, a clear error against a closed port', async () => {
    const ok = await redisHealthCheck(REDIS_URL, { keyPrefix: prefix });
    assert.equal(ok.ok, true, ok.error);
    assert.ok(ok.latencyMs >= 0);
    const port = await freePort();
    const down = await redisHealthCheck(`redis://:hunter2@127.0.0.1:${port}`, { timeoutMs: 1000 });
    assert.equal(down.ok, false);
    assert.match(down.error ?? '', /ECONNREFUSED|connect|closed/i);
    assert.ok(!(down.error ?? '').includes('hunter2'));
    const viaClient = await redisHealthCheck(redis, { keyPrefix: prefix });
    assert.equal(viaClient.ok, true);
  });
});

describe('RedisStore on a test-owned Redis', () => {
  let owned: OwnedRedis;
  before(async () => {
    owned = await startRedis();
  });
  after(() => owned.stop());

  it('one script call per request, and every key expires', async () => {
    const store = new RedisStore({ url: owned.url });
    const app = await startApp({ store }); // the six default rules
    apps.push(app);
    await send(app.url, { ip: '192.0.2.1' }); // connects and loads the script
    await owned.cli('config', 'resetstat');
    const requests = 40;
    for (let i = 0; i < requests; i++) await send(app.url, { ip: `192.0.2.${i % 4}`, method: i % 2 ? 'POST' : 'GET' });
    const stats = await owned.cli('info', 'commandstats');
    const calls = Object.fromEntries([...stats.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)].map((m) => [m[1], Number(m[2])]));
    assert.equal((calls.evalsha ?? 0) + (calls.eval ?? 0), requests, JSON.stringify(calls));
    assert.equal(calls.mget, requests, 'the script ran once per request');
    // TIME: the script reads Redis's clock (the fence), and each new connection reads it once.
    const scriptInternal = new Set(['evalsha', 'eval', 'time', 'mget', 'incr', 'pttl', 'pexpire', 'info', 'config|resetstat']);
    assert.deepEqual(Object.keys(calls).filter((name) => !scriptInternal.has(name)), [], 'no other commands were sent');
    // The 1-second rules' keys (burst, writes) may already have expired on a loaded machine: the keys of
    // the longer rules must all be there, and every key still there must carry a TTL (-1 is none; -2 is a
    // key that expired between KEYS and PTTL, which is what a TTL is for).
    const keys = (await owned.cli('keys', 'rl:*')).split('\n');
    const lasting = keys.filter((key) => !/:(burst|writes)(:|$)/.test(key));
    assert.equal(lasting.length, 4 * 4, `the four longer every-request rules for 4 clients: ${keys.join(' ')}`);
    for (const key of keys) assert.notEqual(Number(await owned.cli('pttl', key)), -1, `${key} has a TTL`);
    assert.ok(keys.every((key) => /^rl:\{192\.0\.2\.\d\}:/.test(key)), 'keys are rl:{<client>}:<rule>');
  });

  it('monitor rules, policies and skip cost no extra command: still one script call per request', async () => {
    const store = new RedisStore({ url: owned.url, keyPrefix: 'op:' });
    const app = await startApp({
      store,
      rules: [
        { name: 'burst', endpoint: '*', period: '1m', limit: 3 },
        { name: 'trial', endpoint: '*', period: '1m', limit: 1, mode: 'Monitor' },
      ],
      policies: [{ client: '192.0.2.0/30', rules: [{ name: 'burst', endpoint: '*', period: '1m', limit: 6 }] }],
      skip: (req) => req.headers['x-skip'] === '1',
    });
    apps.push(app);
    await send(app.url, { ip: '198.51.100.200', headers: { 'x-skip': '1' } });
    await send(app.url, { ip: '198.51.100.201' }); // connects and loads the script
    await owned.cli('config', 'resetstat');
    const sent: number[] = [];
    for (let i = 0; i < 8; i++) sent.push((await send(app.url, { ip: '192.0.2.1' })).status);
    for (let i = 0; i < 4; i++) sent.push((await send(app.url, { ip: '198.51.100.9' })).status);
    await send(app.url, { ip: '198.51.100.9', headers: { 'x-skip': '1' } });
    assert.deepEqual(sent, [200, 200, 200, 200, 200, 200, 429, 429, 200, 200, 200, 429], 'the policy (6) and the general rule (3) enforced; the monitor rule (1) never refused');
    const stats = await owned.cli('info', 'commandstats');
    const calls = Object.fromEntries([...stats.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)].map((m) => [m[1], Number(m[2])]));
    assert.equal((calls.evalsha ?? 0) + (calls.eval ?? 0), 12, `one per limited request, none for the skipped one: ${JSON.stringify(calls)}`);
    assert.equal(await owned.cli('get', 'op:{192.0.2.1}:trial'), '6', 'the monitor window counted every admitted request');
    assert.equal(await owned.cli('get', 'op:{192.0.2.1}:burst'), '6');
  });

  it('SCRIPT FLUSH mid-run: no errors, no warnings, counting continues', async () => {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error() {} };
    const app = await startApp({
      store: new RedisStore({ url: owned.url, keyPrefix: 'flush:' }),
      rules: [{ name: 'big', endpoint: '*', period: '1m', limit: 1000 }],
      logger,
    });
    apps.push(app);
    const seen: number[] = [];
    for (let round = 0; round < 5; round++) {
      const batch = await Promise.all(Array.from({ length: 20 }, () => send(app.url, { ip: '192.0.2.200' })));
      seen.push(...batch.map((r) => r.status));
      await owned.cli('script', 'flush');
    }
    assert.ok(seen.every((status) => status === 200), `statuses: ${[...new Set(seen)].join(',')}`);
    assert.deepEqual(warnings, []);
    assert.equal(await owned.cli('get', 'flush:{192.0.2.200}:big'), '100');
  });
});
