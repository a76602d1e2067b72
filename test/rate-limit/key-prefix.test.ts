/**
 * Two limiters never share counters by accident: a second limiter on the same store (or another
 * RedisStore on the same Redis and prefix) is refused unless both set the same keyPrefix on purpose;
 * different keyPrefix options count apart, keeping the {client} hash tag.
 */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { type OptionsError, RedisStore, rateLimit } from '../../lib/rate-limit/index.js';
import { REDIS_URL, send, startApp, statuses, sharedRedis, uniquePrefix, type TestApp } from './helpers.js';

const prefix = uniquePrefix('ns');
const apps: TestApp[] = [];
const { redis, cleanup } = sharedRedis(prefix, apps);
after(cleanup);
const rules = [{ name: 'minute', endpoint: '*', period: '1m', limit: 2 }];

it('a second limiter on the same Redis and prefix without a keyPrefix is refused, with what to do', () => {
  const first = rateLimit({ rules, store: new RedisStore({ url: REDIS_URL, keyPrefix: prefix }) });
  try {
    assert.throws(
      () => rateLimit({ rules, store: new RedisStore({ url: REDIS_URL, keyPrefix: prefix }) }),
      (error: OptionsError) =>
        error.code === 'ERR_RATE_LIMIT_STORE' && error.path === 'keyPrefix' && /Give each limiter its own keyPrefix option/.test(error.message),
    );
    assert.throws(() => rateLimit({ rules, store: first.store }), /already counts in this store without a keyPrefix/);
  } finally {
    void first.close();
  }
  // Released on close: a new limiter may take the keys.
  void rateLimit({ rules, store: new RedisStore({ url: REDIS_URL, keyPrefix: prefix }) }).close();
});

it('distinct keyPrefix options count apart; the same keyPrefix on both shares counters on purpose', async () => {
  const store = new RedisStore({ url: REDIS_URL, keyPrefix: prefix });
  const admin = await startApp({ rules, store, keyPrefix: 'admin:' });
  const api = await startApp({ rules, store, keyPrefix: 'api:' });
  const shared = await startApp({ rules, store: new RedisStore({ url: REDIS_URL, keyPrefix: prefix }), keyPrefix: 'api:' });
  apps.push(admin, api, shared);
  const ip = '198.51.100.77';
  assert.deepEqual(await statuses(admin.url, 3, { ip }), [200, 200, 429]);
  assert.deepEqual(await statuses(api.url, 1, { ip }), [200], 'admin: did not use up api:');
  assert.deepEqual(await statuses(shared.url, 2, { ip }), [200, 429], 'the second api: limiter shares its counters');
  assert.equal(await redis.get(`${prefix}admin:{${ip}}:minute`), '2');
  assert.equal(await redis.get(`${prefix}api:{${ip}}:minute`), '2');
  assert.equal((await send(admin.url, { ip })).status, 429);
});
