/**
 * People arrive from express-rate-limit and type its options first. Each of them fails at
 * construction with the equivalent spelled out, and what is spelled out works when pasted back.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { parsePeriod } from '../../lib/core/index.js';
import { OptionsError, rateLimit, RedisStore, type RateLimitOptions } from '../../lib/rate-limit/index.js';
import { REDIS_URL, startApp, statuses, type TestApp } from './helpers.js';

const apps: TestApp[] = [];
after(() => Promise.all(apps.map((app) => app.close())));

/** The OptionsError that `build` throws; fails the test when it does not throw one. */
function optionsError(build: () => unknown): OptionsError {
  try {
    build();
  } catch (error) {
    assert.ok(error instanceof OptionsError, `an OptionsError, got ${String(error)}`);
    assert.equal(error.code, 'ERR_RATE_LIMIT_UNKNOWN_OPTION');
    return error;
  }
  assert.fail('no error thrown');
}

/** The rule a windowMs/max message tells the user to write, read back from the message. */
function suggestedRule(message: string): { name: string; endpoint: string; period: string; limit: number } {
  const match = /Write rules: \[\{ name: '([^']+)', endpoint: '([^']+)', period: '([^']+)', limit: (\d+) \}\]/.exec(message);
  assert.ok(match, message);
  return { name: match[1]!, endpoint: match[2]!, period: match[3]!, limit: Number(match[4]) };
}

describe('express-rate-limit option names', () => {
  it('windowMs and max in whole seconds: the rule spelled out is valid and has the same window and limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 * 86_400 }), fc.integer({ min: 1, max: 100_000 }), fc.boolean(), (seconds, max, useLimit) => {
        const windowMs = seconds * 1000;
        const options = useLimit ? { windowMs, limit: max } : { windowMs, max };
        const rule = suggestedRule(optionsError(() => rateLimit(options as unknown as RateLimitOptions)).message);
        const period = parsePeriod(rule.period);
        assert.ok(period.ok, rule.period);
        assert.equal(period.value.ms, windowMs);
        assert.equal(rule.limit, max);
        void rateLimit({ rules: [rule] }).close();
      }),
      { numRuns: 300 },
    );
  });

  it('pasted back, the suggested rule limits as express-rate-limit would have: max admitted, then 429', async () => {
    const rule = suggestedRule(optionsError(() => rateLimit({ windowMs: 60_000, max: 3 } as unknown as RateLimitOptions)).message);
    const app = await startApp({ rules: [rule] });
    apps.push(app);
    assert.deepEqual(await statuses(app.url, 4, { ip: '198.51.100.77' }), [200, 200, 200, 429]);
  });

  it('a window that is not whole seconds asks for one instead of guessing', () => {
    const error = optionsError(() => rateLimit({ windowMs: 1500, max: 2 } as unknown as RateLimitOptions));
    assert.match(error.message, /period: '<whole seconds, e\.g\. "1m">', limit: 2/);
  });

  const renames: ReadonlyArray<readonly [string, unknown, RegExp, Partial<RateLimitOptions>]> = [
    ['keyGenerator', () => 'k', /write clientKey: \(req\) => string instead/, { clientKey: () => 'k' }],
    ['standardHeaders', 'draft-8', /write headers: "draft-10" instead/, { headers: 'draft-10' }],
    ['legacyHeaders', true, /write headers: "legacy" \(or "both"\) instead/, { headers: 'legacy' }],
    ['passOnStoreError', true, /write onError: "open"/, { onError: 'open' }],
  ];
  for (const [name, value, hint, replacement] of renames) {
    it(`${name} names its replacement, and the replacement is accepted`, async () => {
      const error = optionsError(() => rateLimit({ [name]: value } as unknown as RateLimitOptions));
      assert.equal(error.path, name);
      assert.match(error.message, hint);
      await rateLimit(replacement).close();
    });
  }

  for (const name of ['skipSuccessfulRequests', 'skipFailedRequests', 'requestWasSuccessful']) {
    it(`${name} says why there is no equivalent`, () => {
      assert.match(optionsError(() => rateLimit({ [name]: true } as unknown as RateLimitOptions)).message, /no equivalent: every admitted request counts/);
    });
  }

  it('new RedisStore({ prefix }) names keyPrefix instead of ignoring it; keyPrefix is accepted', async () => {
    const error = optionsError(() => new RedisStore({ url: REDIS_URL, prefix: 'x:' } as never));
    assert.equal(error.path, 'prefix');
    assert.match(error.message, /write keyPrefix/);
    const store = new RedisStore({ url: REDIS_URL, keyPrefix: 'erl-names:' });
    await store.close();
  });
});
