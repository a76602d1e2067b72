/**
 * limiter.inspect(clientId) and limiter.reset(clientId, rule?) on the memory store (injected clock)
 * and on RedisStore (the shared Redis, a unique key prefix): per rule that applies to the client, its
 * policy included, the count, limit and time to reset; the client ID as requests carry it (hashed,
 * IPv6 grouped); reset of one rule or all; nothing stored is 0; bad IDs and rule names are errors.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { OptionsError, RedisStore, type RateLimitOptions, type RateLimitRule } from '../../lib/rate-limit/index.js';
import { fakeClock, REDIS_URL, send, sharedRedis, startApp, statuses, uniquePrefix, type TestApp } from './helpers.js';

const prefix = uniquePrefix('inspect');
const apps: TestApp[] = [];
const { redis, cleanup } = sharedRedis(prefix, apps);
after(cleanup);

const rules: RateLimitRule[] = [
  { name: 'burst', endpoint: '*', period: '1m', limit: 3 },
  { name: 'writes', endpoint: 'post:*', period: '10m', limit: 2 },
  { name: 'trial', endpoint: '*', period: '1h', limit: 2, mode: 'Monitor' },
];
const policies = [{ client: '203.0.113.0/24', rules: [{ name: 'burst', endpoint: '*', period: '1m', limit: 10 }, { name: 'extra', endpoint: 'get:*', period: '1d', limit: 100 }] }];

async function app(options: RateLimitOptions): Promise<TestApp> {
  const started = await startApp(options);
  apps.push(started);
  return started;
}

const summary = (limits: { rules: readonly { rule: string; count: number; limit: number; remaining: number }[] }) =>
  Object.fromEntries(limits.rules.map((r) => [r.rule, `${r.count}/${r.limit} (${r.remaining} left)`]));

for (const kind of ['memory', 'redis'] as const) {
  describe(`inspect and reset (${kind} store)`, () => {
    const store = (): RateLimitOptions['store'] => (kind === 'redis' ? new RedisStore({ url: REDIS_URL, keyPrefix: prefix }) : 'memory');
    const clock = fakeClock();

    it('inspect: count, limit and reset per rule that applies, the policy\'s rules for its clients', async () => {
      const { url, limiter } = await app({ rules, policies, store: store(), clock: clock.now, keyPrefix: `${kind}-a:` });
      await statuses(url, 2, { ip: '198.51.100.7', method: 'POST' });
      await statuses(url, 1, { ip: '198.51.100.7' });
      const plain = await limiter.inspect('198.51.100.7');
      assert.equal(plain.key, '198.51.100.7');
      assert.equal(plain.policy, null);
      assert.deepEqual(summary(plain), { burst: '3/3 (0 left)', writes: '2/2 (0 left)', trial: '3/2 (0 left)' }, 'a monitor rule counts past its limit');
      const burst = plain.rules[0]!;
      assert.deepEqual({ rule: burst.rule, endpoint: burst.endpoint, period: burst.period, mode: burst.mode }, { rule: 'burst', endpoint: '*', period: '1m', mode: 'Enforce' });
      assert.ok(burst.resetsInMs > 55_000 && burst.resetsInMs <= 60_000, String(burst.resetsInMs));
      assert.ok(plain.rules[1]!.resetsInMs > 590_000 && plain.rules[1]!.resetsInMs <= 600_000);
      assert.equal(plain.rules[2]!.mode, 'Monitor');

      await statuses(url, 1, { ip: '203.0.113.5' });
      const partner = await limiter.inspect('203.0.113.5');
      assert.equal(partner.policy, 'policies[0]');
      assert.deepEqual(summary(partner), { burst: '1/10 (9 left)', writes: '0/2 (2 left)', trial: '1/2 (1 left)', extra: '1/100 (99 left)' });
      assert.equal(partner.rules[1]!.resetsInMs, 0, 'a window not running resets in 0');

      const nobody = await limiter.inspect('192.0.2.99');
      assert.ok(nobody.rules.every((r) => r.count === 0 && r.resetsInMs === 0 && r.remaining === r.limit));
    });

    it('reset: one rule (ignoring case) or all; the client is admitted again; nothing stored is 0', async () => {
      const { url, limiter } = await app({ rules, store: store(), clock: clock.now, keyPrefix: `${kind}-b:` });
      const ip = '198.51.100.8';
      assert.deepEqual(await statuses(url, 4, { ip, method: 'POST' }), [200, 200, 429, 429]);
      assert.equal(await limiter.reset(ip, 'Writes'), 1);
      assert.deepEqual(summary(await limiter.inspect(ip)), { burst: '2/3 (1 left)', writes: '0/2 (2 left)', trial: '2/2 (0 left)' });
      assert.equal((await send(url, { ip, method: 'POST' })).status, 200);
      assert.equal(await limiter.reset(ip), 3, 'three windows were running');
      assert.deepEqual(summary(await limiter.inspect(ip)), { burst: '0/3 (3 left)', writes: '0/2 (2 left)', trial: '0/2 (2 left)' });
      assert.equal(await limiter.reset(ip), 0, 'nothing left to clear');
      assert.equal(await limiter.reset('192.0.2.123'), 0, 'a client never seen');
      if (kind === 'redis') assert.deepEqual(await redis.keys(`${prefix}${kind}-b:{${ip}}:*`), []);
    });

    it('the client ID as requests carry it: an API key hashed, an IPv6 address grouped by /56', async () => {
      const keyed = await app({ clientKey: 'header:X-Api-Key', rules, store: store(), keyPrefix: `${kind}-c:` });
      const apiKey = 'k-55e1d0';
      await statuses(keyed.url, 2, { headers: { 'x-api-key': apiKey } });
      const byKey = await keyed.limiter.inspect(apiKey);
      assert.equal(byKey.key, `key:${createHash('sha256').update(apiKey).digest('base64url')}`);
      assert.equal(byKey.rules[0]!.count, 2);
      await statuses(keyed.url, 1, { ip: '198.51.100.9' });
      assert.equal((await keyed.limiter.inspect('198.51.100.9')).rules[0]!.count, 1, 'an address: a client without the header');

      const v6 = await app({ rules, store: store(), keyPrefix: `${kind}-d:` });
      await statuses(v6.url, 2, { ip: '2001:db8:1:2a00::1' });
      const grouped = await v6.limiter.inspect('2001:db8:1:2aff::9');
      assert.equal(grouped.key, '2001:db8:1:2a00::/56');
      assert.equal(grouped.rules[0]!.count, 2);
      assert.equal(await v6.limiter.reset('2001:db8:1:2a00::2', 'burst'), 1);
    });

    it('bad client IDs and rule names are OptionsErrors; a closed limiter refuses', async () => {
      const { limiter } = await app({ rules, store: store(), keyPrefix: `${kind}-e:` });
      await assert.rejects(
        limiter.inspect('not-an-ip'),
        (e: unknown) => e instanceof OptionsError && /clientId: is not an IP address; clientKey is "ip"/.test(e.message) && !e.message.includes('not-an-ip'),
      );
      await assert.rejects(limiter.inspect(''), OptionsError);
      await assert.rejects(limiter.reset('10.0.0.1', 'bursts'), (e: unknown) => e instanceof OptionsError && /"bursts" is not a rule of this limiter \(did you mean "burst"\?\)/.test(e.message));
      await limiter.close();
      await assert.rejects(limiter.inspect('10.0.0.1'), /the rate limiter is closed/);
    });
  });
}
