/** The six default rules, each at its boundary, with an injected clock; method filters and stacking. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type express from 'express';
import { DEFAULT_RULES, type RateLimitError, type RateLimitRule } from '../../lib/rate-limit/index.js';
import { fakeClock, send, startApp, statuses, type TestApp } from './helpers.js';

const apps: TestApp[] = [];
after(() => Promise.all(apps.map((app) => app.close())));

async function app(options: Parameters<typeof startApp>[0]): Promise<TestApp> {
  const started = await startApp(options);
  apps.push(started);
  return started;
}

/** Sends `count` requests in parallel batches (same fake instant), returns how many were admitted. */
async function admitted(base: string, count: number, options: Parameters<typeof send>[1] = {}): Promise<number> {
  let ok = 0;
  for (let sent = 0; sent < count; sent += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, count - sent) }, () => send(base, options)));
    ok += batch.filter((r) => r.status === 200).length;
  }
  return ok;
}

describe('each default rule at its boundary', () => {
  for (const rule of DEFAULT_RULES) {
    it(`${rule.name}: ${rule.limit} per ${rule.period} on ${rule.endpoint}`, async () => {
      const clock = fakeClock();
      const { url, errors } = await app({ rules: [rule], clock: clock.now });
      const method = rule.endpoint === '*' ? 'GET' : 'POST';
      const periodMs = (DEFAULT_RULES.find((r) => r.name === rule.name) as RateLimitRule).period;
      const seconds = { '1s': 1, '1m': 60, '10m': 600, '1h': 3600, '12h': 43200 }[periodMs] as number;

      assert.equal(await admitted(url, rule.limit, { method }), rule.limit, 'the whole limit is admitted');
      const refused = await send(url, { method });
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('retry-after'), String(seconds));
      const error = errors.at(-1) as { rule: string; limit: number; period: string; retryAfter: number };
      assert.deepEqual({ rule: error.rule, limit: error.limit, period: error.period, retryAfter: error.retryAfter }, {
        rule: rule.name, limit: rule.limit, period: rule.period, retryAfter: seconds,
      });

      clock.advance(seconds * 1000 - 1);
      const stillRefused = await send(url, { method });
      assert.equal(stillRefused.status, 429, '1 ms before the window ends');
      assert.equal(stillRefused.headers.get('retry-after'), '1', 'Retry-After never drops below 1');
      clock.advance(1);
      const again = await send(url, { method });
      assert.equal(again.status, 200, 'a new window starts when the old one ends');
      assert.equal(again.headers.get('ratelimit'), `"${rule.name}";r=${rule.limit - 1};t=${seconds}`);
    });
  }
});

describe('default rule set', () => {
  it('counts a POST in both burst and writes; GET is not a write', async () => {
    const clock = fakeClock();
    const { url, errors } = await app({ clock: clock.now });
    assert.deepEqual(await statuses(url, 6, { method: 'POST', ip: '198.51.100.1' }), [200, 200, 200, 200, 200, 429]);
    assert.equal((errors.at(-1) as { rule: string }).rule, 'writes');
    // 5 POSTs counted in burst: 15 GETs left of 20.
    assert.equal(await admitted(url, 16, { ip: '198.51.100.1' }), 15);
    assert.equal((errors.at(-1) as { rule: string }).rule, 'burst');
    assert.equal((await send(url, { method: 'PUT', ip: '198.51.100.1' })).status, 429);
  });

  it('PUT, PATCH and DELETE are writes, GET is not', async () => {
    const clock = fakeClock();
    const { url, errors } = await app({ clock: clock.now });
    const ip = '198.51.100.2';
    for (const method of ['PUT', 'DELETE', 'POST', 'PATCH', 'DELETE']) assert.equal((await send(url, { method, ip })).status, 200);
    for (const method of ['DELETE', 'PATCH']) {
      assert.equal((await send(url, { method, ip })).status, 429, method);
      assert.equal((errors.at(-1) as { rule: string }).rule, 'writes');
    }
    assert.equal((await send(url, { method: 'GET', ip })).status, 200);
  });

  it('the minute and 10-minute rules take over from burst', async () => {
    const clock = fakeClock();
    const { url, errors } = await app({ clock: clock.now });
    const ip = '198.51.100.3';
    for (let second = 0; second < 5; second++) {
      assert.equal(await admitted(url, 20, { ip }), 20);
      clock.advance(1000);
    }
    const refused = await send(url, { ip });
    assert.equal(refused.status, 429);
    // minute and 10min are both full; the request could next pass when 10min resets.
    assert.equal((errors.at(-1) as { rule: string }).rule, 'per-10-minutes');
    assert.equal(refused.headers.get('retry-after'), String(600 - 5));
    clock.advance(55_000); // minute window ends, 10min does not
    assert.equal((await send(url, { ip })).status, 429);
    clock.advance(540_000);
    assert.equal((await send(url, { ip })).status, 200);
  });

  it('each client has its own counters', async () => {
    const clock = fakeClock();
    const { url } = await app({ clock: clock.now, rules: [{ name: 'burst', endpoint: '*', period: '1s', limit: 2 }] });
    assert.deepEqual(await statuses(url, 3, { ip: '192.0.2.1' }), [200, 200, 429]);
    assert.deepEqual(await statuses(url, 3, { ip: '192.0.2.2' }), [200, 200, 429]);
  });

  it('path globs select rules; matching ignores the query string and case', async () => {
    const clock = fakeClock();
    const { url } = await app({
      clock: clock.now,
      rules: [{ name: 'tickets', endpoint: 'get:/api/v2/tickets/*', period: '1m', limit: 1 }],
    });
    assert.deepEqual(await statuses(url, 2, { path: '/api/v2/Tickets/7?x=1' }), [200, 429]);
    assert.deepEqual(await statuses(url, 2, { path: '/api/v2/users' }), [200, 200]);
    assert.equal((await send(url, { path: '/api/v2/users' })).headers.get('ratelimit'), null, 'no rule, no headers');
  });
});

describe('stackBlockedRequests', () => {
  const rules = [
    { name: 'burst', endpoint: '*', period: '1s', limit: 2 },
    { name: 'minute', endpoint: '*', period: '1m', limit: 4 },
  ];

  it('false (default): a refused request counts nowhere', async () => {
    const clock = fakeClock();
    const { url } = await app({ rules, clock: clock.now });
    assert.deepEqual(await statuses(url, 5), [200, 200, 429, 429, 429]);
    clock.advance(1000);
    assert.deepEqual(await statuses(url, 3), [200, 200, 429], 'minute holds only the 2 admitted');
  });

  it('true: a refused request counts in every matching window', async () => {
    const clock = fakeClock();
    const { url, errors } = await app({ rules, clock: clock.now, stackBlockedRequests: true });
    assert.deepEqual(await statuses(url, 5), [200, 200, 429, 429, 429]);
    clock.advance(1000);
    const refused = await send(url);
    assert.equal(refused.status, 429, 'minute already holds 5 > 4');
    assert.equal((errors.at(-1) as { rule: string }).rule, 'minute');
    assert.equal(refused.headers.get('retry-after'), '59');
  });
});

describe('statusCode and handler', () => {
  it('uses the configured status', async () => {
    const { url } = await app({ rules: [{ name: 'one', endpoint: '*', period: '1m', limit: 1 }], statusCode: 503 });
    assert.deepEqual(await statuses(url, 2), [200, 503]);
  });

  it('a handler answers instead of next(error), with headers already set', async () => {
    const { url } = await app({
      rules: [{ name: 'one', endpoint: '*', period: '1m', limit: 1 }],
      handler: (_req, res, _next, error) => {
        res.status(error.status).json({ custom: (error as RateLimitError).rule, retryAfter: res.getHeader('Retry-After') });
      },
    });
    await send(url);
    const refused = await send(url);
    assert.equal(refused.status, 429);
    assert.deepEqual(refused.body, { custom: 'one', retryAfter: '60' });
  });

  it('a refusal carries a short stack, names its rule in res.locals and leaves Error.stackTraceLimit alone', async () => {
    const limitBefore = Error.stackTraceLimit;
    let seen: { stack?: string; rule?: unknown } = {};
    const { url } = await app({
      rules: [{ name: 'one', endpoint: '*', period: '1m', limit: 1 }],
      handler: (_req, res, _next, error) => {
        seen = { stack: error.stack, rule: res.locals.rateLimitRule };
        res.status(error.status).end();
      },
    });
    await send(url);
    assert.equal((await send(url)).status, 429);
    assert.equal(seen.stack, 'RateLimitError: API calls quota exceeded! maximum admitted 1 per 1m.');
    assert.equal(seen.rule, 'one');
    assert.equal(Error.stackTraceLimit, limitBefore);
  });

  it('without an error handler the limiter answers the refusal itself', async () => {
    const express = (await import('express')).default;
    const { rateLimit } = await import('../../lib/rate-limit/index.js');
    const application = express();
    application.set('env', 'test'); // keeps finalhandler from printing the stack
    const limiter = rateLimit({ rules: [{ name: 'one', endpoint: '*', period: '1m', limit: 1 }] });
    application.use(limiter);
    application.get('/', (_req, res) => void res.send('ok'));
    const server = application.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      assert.deepEqual(await statuses(base, 2, { path: '/' }), [200, 429]);
      assert.equal((await send(base, { path: '/' })).headers.get('retry-after'), '60');
    } finally {
      server.closeAllConnections();
      server.close();
      await limiter.close();
    }
  });
});

describe('Express 4', () => {
  it('the same middleware limits an Express 4 app, with headers and Retry-After', async () => {
    const express4 = (await import('express4')).default;
    const { rateLimit } = await import('../../lib/rate-limit/index.js');
    const application = express4();
    const limiter = rateLimit({ rules: [{ name: 'one', endpoint: 'get:/x', period: '1m', limit: 1 }] });
    application.use(limiter);
    application.get('/x', (_req, res) => void res.json({ ok: true }));
    // Unreached: the limiter answers its refusals itself (the envelope below).
    application.use(((err, _req, res, _next) => void res.status(err.status).json({ rule: err.rule })) as express.ErrorRequestHandler);
    const server = application.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      assert.equal((await send(base, { path: '/x' })).headers.get('ratelimit'), '"one";r=0;t=60');
      const refused = await send(base, { path: '/x?page=2' });
      assert.equal(refused.status, 429);
      assert.equal((refused.body as { information: { type: string }[] }).information[0]?.type, 'RateLimit');
      assert.equal(refused.headers.get('retry-after'), '60');
    } finally {
      server.close();
      await limiter.close();
    }
  });
});
