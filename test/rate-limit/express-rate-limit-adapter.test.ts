/** The compatibility path: express-rate-limit stores (rate-limit-redis on real Redis), one per rule. */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { RedisStore as RateLimitRedisStore, type RedisReply } from 'rate-limit-redis';
import { ExpressRateLimitStoreAdapter } from '../../lib/rate-limit/index.js';
import { send, startApp, statuses, sharedRedis, uniquePrefix, type TestApp } from './helpers.js';

const prefix = uniquePrefix('erl');
const apps: TestApp[] = [];
const { redis, cleanup } = sharedRedis(prefix, apps);
after(cleanup);

function adapter(): ExpressRateLimitStoreAdapter {
  return new ExpressRateLimitStoreAdapter({
    createStore: (rule) =>
      new RateLimitRedisStore({
        prefix: `${prefix}${rule.name}:`,
        sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
      }),
  });
}

const rules = [
  { name: 'burst', endpoint: '*', period: '1m', limit: 3 },
  { name: 'writes', endpoint: 'post:*', period: '1m', limit: 1 },
];

it('rate-limit-redis stores back each rule; a refused request is undone in every window', async () => {
  const app = await startApp({ rules, store: adapter() });
  apps.push(app);
  const ip = '198.51.100.40';
  assert.deepEqual(await statuses(app.url, 2, { ip, method: 'POST' }), [200, 429]);
  assert.equal((app.errors.at(-1) as { rule: string }).rule, 'writes');
  assert.deepEqual(await statuses(app.url, 3, { ip }), [200, 200, 429], 'the refused POST was taken back from burst');
  const refused = await send(app.url, { ip });
  assert.equal(refused.headers.get('ratelimit'), '"burst";r=0;t=60');
  assert.equal(await redis.get(`${prefix}burst:${ip}`), '3');
  assert.equal(await redis.get(`${prefix}writes:${ip}`), '1');
  assert.ok((await redis.pttl(`${prefix}burst:${ip}`)) > 0);
});

it('stackBlockedRequests keeps refused requests counted', async () => {
  const app = await startApp({ rules, store: adapter(), stackBlockedRequests: true });
  apps.push(app);
  const ip = '198.51.100.41';
  assert.deepEqual(await statuses(app.url, 3, { ip, method: 'POST' }), [200, 429, 429]);
  assert.equal(await redis.get(`${prefix}burst:${ip}`), '3');
  assert.equal((await send(app.url, { ip })).status, 429);
});

it('a rule whose period changed gets a new store, and the one it replaces is shut down', async () => {
  const { MemoryStore: ErlMemoryStore } = await import('express-rate-limit');
  const shutDown: string[] = [];
  const store = new ExpressRateLimitStoreAdapter({
    createStore: (rule) => {
      const inner = new ErlMemoryStore();
      const shutdown = inner.shutdown.bind(inner);
      inner.shutdown = () => {
        shutDown.push(`${rule.name}/${rule.periodMs}`);
        shutdown();
      };
      return inner;
    },
  });
  const window = { name: 'minute', limit: 5, period: '1m', periodMs: 60_000, slot: 0 };
  await store.hit('k', [window], Date.now(), false);
  await store.hit('k', [{ ...window, period: '2m', periodMs: 120_000 }], Date.now(), false);
  assert.deepEqual(shutDown, ['minute/60000']);
  await store.close();
  assert.deepEqual(shutDown, ['minute/60000', 'minute/120000']);
});

it('inspect and reset through the adapter: rate-limit-redis has get(); a store without it cannot be inspected', async () => {
  const app = await startApp({ rules, store: adapter(), keyPrefix: 'op:' });
  apps.push(app);
  const ip = '198.51.100.42';
  await statuses(app.url, 2, { ip, method: 'POST' });
  const limits = await app.limiter.inspect(ip);
  assert.deepEqual(limits.rules.map((r) => [r.rule, r.count]), [['burst', 1], ['writes', 1]], 'the refused POST was undone');
  assert.ok(limits.rules[0]!.resetsInMs > 0 && limits.rules[0]!.resetsInMs <= 60_000);
  assert.equal(await app.limiter.reset(ip, 'writes'), 1);
  assert.equal(await redis.get(`${prefix}writes:op:${ip}`), null);
  assert.equal((await send(app.url, { ip, method: 'POST' })).status, 200);

  const { MemoryStore: ErlMemoryStore } = await import('express-rate-limit');
  // An express-rate-limit store without the optional get() (like many third-party stores).
  const blind = new ExpressRateLimitStoreAdapter({
    createStore: () => {
      const inner = new ErlMemoryStore();
      return {
        increment: (key: string) => inner.increment(key),
        decrement: (key: string) => inner.decrement(key),
        resetKey: (key: string) => inner.resetKey(key),
        init: (options: Parameters<typeof inner.init>[0]) => inner.init(options),
        shutdown: () => inner.shutdown(),
      };
    },
  });
  const noGet = await startApp({ rules, store: blind });
  apps.push(noGet);
  await send(noGet.url, { ip });
  await assert.rejects(noGet.limiter.inspect(ip), /cannot be inspected: it has no get\(\)/);
  assert.equal(await noGet.limiter.reset(ip), undefined, 'cleared, but how many were running cannot be told');
  assert.equal((await send(noGet.url, { ip })).headers.get('ratelimit'), '"burst";r=2;t=60', 'counting started over');
});
