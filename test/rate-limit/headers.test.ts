/** Rate-limit headers: draft-10 parsed as RFC 9651 structured fields, legacy, both, none. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parseItem, parseList } from 'structured-headers';
import { fakeClock, send, startApp, type TestApp } from './helpers.js';

const apps: TestApp[] = [];
after(() => Promise.all(apps.map((app) => app.close())));

const rules = [
  { name: 'burst', endpoint: '*', period: '1s', limit: 3 },
  { name: 'writes', endpoint: 'post,put,delete:*', period: '1s', limit: 2 },
  { name: 'minute', endpoint: '*', period: '1m', limit: 5 },
];

async function app(options: Parameters<typeof startApp>[0]): Promise<TestApp> {
  const started = await startApp(options);
  apps.push(started);
  return started;
}

function policy(value: string | null): { name: unknown; q: unknown; w: unknown }[] {
  assert.ok(value !== null, 'RateLimit-Policy is present');
  return parseList(value).map((member) => {
    const [name, params] = member;
    return { name, q: params.get('q'), w: params.get('w') };
  });
}

function rateLimitItem(value: string | null): { name: unknown; r: unknown; t: unknown } {
  assert.ok(value !== null, 'RateLimit is present');
  const [name, params] = parseItem(value);
  return { name, r: params.get('r'), t: params.get('t') };
}

describe('draft-10 headers (default)', () => {
  it('RateLimit-Policy lists every matching rule; RateLimit names the one closest to exhaustion', async () => {
    const clock = fakeClock();
    const { url } = await app({ rules, clock: clock.now });
    const get = await send(url);
    assert.deepEqual(policy(get.headers.get('ratelimit-policy')), [
      { name: 'burst', q: 3, w: 1 },
      { name: 'minute', q: 5, w: 60 },
    ]);
    assert.deepEqual(rateLimitItem(get.headers.get('ratelimit')), { name: 'burst', r: 2, t: 1 });

    const post = await send(url, { method: 'POST' });
    assert.deepEqual(policy(post.headers.get('ratelimit-policy')), [
      { name: 'burst', q: 3, w: 1 },
      { name: 'writes', q: 2, w: 1 },
      { name: 'minute', q: 5, w: 60 },
    ]);
    // burst 1 left, writes 1 left, minute 3 left: a tie between burst and writes (same reset).
    const item = rateLimitItem(post.headers.get('ratelimit'));
    assert.equal(item.r, 1);
    assert.equal(item.t, 1);
    assert.equal(post.headers.get('retry-after'), null, 'no Retry-After on an admitted request');
  });

  it('on refusal RateLimit names the blocking rule with r=0 and Retry-After matches t', async () => {
    const clock = fakeClock();
    const { url } = await app({ rules, clock: clock.now });
    for (let i = 0; i < 3; i++) await send(url);
    clock.advance(1000);
    for (let i = 0; i < 2; i++) await send(url);
    clock.advance(400);
    const refused = await send(url);
    assert.equal(refused.status, 429);
    assert.deepEqual(rateLimitItem(refused.headers.get('ratelimit')), { name: 'minute', r: 0, t: 59 });
    assert.equal(refused.headers.get('retry-after'), '59');
  });

  it('the closest rule is the one with fewest left, whatever the order of rules', async () => {
    const clock = fakeClock();
    const { url } = await app({
      clock: clock.now,
      rules: [
        { name: 'roomy', endpoint: '*', period: '1s', limit: 100 },
        { name: 'tight', endpoint: '*', period: '1h', limit: 3 },
      ],
    });
    assert.deepEqual(rateLimitItem((await send(url)).headers.get('ratelimit')), { name: 'tight', r: 2, t: 3600 });
  });
});

describe('other header modes', () => {
  it('legacy: X-Rate-Limit-Limit/Remaining/Reset only', async () => {
    const clock = fakeClock();
    const { url } = await app({ rules, clock: clock.now, headers: 'legacy' });
    const response = await send(url);
    assert.equal(response.headers.get('x-rate-limit-limit'), '3');
    assert.equal(response.headers.get('x-rate-limit-remaining'), '2');
    assert.equal(response.headers.get('x-rate-limit-reset'), '1');
    assert.equal(response.headers.get('ratelimit'), null);
    assert.equal(response.headers.get('ratelimit-policy'), null);
  });

  it('both: draft-10 and legacy', async () => {
    const { url } = await app({ rules, headers: 'both' });
    const response = await send(url);
    assert.ok(response.headers.get('ratelimit'));
    assert.ok(response.headers.get('ratelimit-policy'));
    assert.equal(response.headers.get('x-rate-limit-remaining'), '2');
  });

  it('none: no rate-limit headers, but a refusal still has Retry-After', async () => {
    const { url } = await app({ rules: [{ name: 'one', endpoint: '*', period: '1m', limit: 1 }], headers: 'none' });
    const admitted = await send(url);
    assert.equal(admitted.headers.get('ratelimit'), null);
    assert.equal(admitted.headers.get('x-rate-limit-limit'), null);
    const refused = await send(url);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '60');
    assert.equal(refused.headers.get('ratelimit'), null);
  });
});
