/** A full counter that somehow lost its TTL must not lock its client out for ever. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RedisStore, type RateLimitWindow } from '../../lib/rate-limit/index.js';
import { REDIS_URL, uniquePrefix } from './helpers.js';

const windows: RateLimitWindow[] = [{ name: 'minute', limit: 2, period: '1m', periodMs: 60_000, slot: 0 }];

describe('RedisStore TTL repair', () => {
  const client = new Redis(REDIS_URL);
  const prefix = uniquePrefix('ttl-repair');
  after(async () => {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  });

  it('a refused request gives a counter without expiry its TTL back', async () => {
    const store = new RedisStore({ client, keyPrefix: prefix });
    const key = store.keyFor('198.51.100.9', 'minute');
    // E.g. written by an older version, a PERSIST, or a script cut short: full, and no expiry.
    await client.set(key, '5');
    const refused = await store.hit('198.51.100.9', windows, Date.now(), false);
    assert.equal(refused.blocked, 0);
    const ttl = await client.pttl(key);
    assert.ok(ttl > 0 && ttl <= 60_000, `the key expires again (PTTL ${ttl})`);
  });
});
