/**
 * Monitor-mode rules (memory store, injected clock): counted and reported, never refusing; the first
 * would-be refusal per client and window logged at Warning with the rule, the client's key (an API key
 * hashed) and the trace ID; in the headers only with monitoredInHeaders.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { runWithContext } from '../../lib/core/index.js';
import type { RateLimitOptions, RateLimitRule, RateLimitStore } from '../../lib/rate-limit/index.js';
import { fakeClock, send, startApp, statuses, type TestApp } from './helpers.js';

const apps: TestApp[] = [];
after(() => Promise.all(apps.map((app) => app.close())));

interface Line {
  readonly message: string;
  readonly meta: Record<string, unknown>;
}

/**
 * An app whose limiter runs inside the request context with the `x-trace` header as trace ID, the way
 * the guard's traceId() middleware sets it up.
 */
async function app(options: RateLimitOptions): Promise<TestApp & { warnings: Line[] }> {
  const warnings: Line[] = [];
  const logger = { debug() {}, info() {}, warn: (message: string, meta?: Record<string, unknown>) => void warnings.push({ message, meta: meta ?? {} }), error() {} };
  const started = await startApp({ logger, ...options }, undefined, (req, _res, next) => {
    const traceId = req.headers['x-trace'];
    if (typeof traceId === 'string') runWithContext({ traceId }, next);
    else next();
  });
  apps.push(started);
  return Object.assign(started, { warnings });
}

const burst: RateLimitRule = { name: 'burst', endpoint: '*', period: '1m', limit: 5 };
const trial: RateLimitRule = { name: 'trial', endpoint: '*', period: '1m', limit: 2, mode: 'Monitor' };

describe('monitor mode', () => {
  it('never refuses; the enforced rule still does; one Warning per client and window', async () => {
    const clock = fakeClock();
    const { url, warnings, errors } = await app({ rules: [burst, trial], clock: clock.now });
    assert.deepEqual(await statuses(url, 6, { ip: '198.51.100.1' }), [200, 200, 200, 200, 200, 429]);
    assert.equal((errors.at(-1) as { rule: string }).rule, 'burst', 'only the enforced rule refuses');
    assert.equal(warnings.length, 1, warnings.map((w) => w.message).join('\n'));
    assert.match(warnings[0]!.message, /^Rate limit monitor: rule "trial" \(2 per 1m\) would refuse client 198\.51\.100\.1 until its window resets \(Monitor mode: admitted\)\. First over the limit: GET \/api\/v2\/tickets$/);
    assert.deepEqual(
      { ...warnings[0]!.meta },
      { rule: 'trial', limit: 2, period: '1m', mode: 'Monitor', client: '198.51.100.1', count: 3, method: 'GET', path: '/api/v2/tickets' },
    );
    assert.deepEqual(await statuses(url, 4, { ip: '198.51.100.2' }), [200, 200, 200, 200]);
    assert.equal(warnings.length, 2, 'a second client: its own first');
    clock.advance(60_000);
    assert.deepEqual(await statuses(url, 3, { ip: '198.51.100.1' }), [200, 200, 200]);
    assert.equal(warnings.length, 3, 'a new window: logged again');
  });

  it('left out of the headers unless monitoredInHeaders; RateLimit then names the enforced rule', async () => {
    const hidden = await app({ rules: [burst, trial] });
    await statuses(hidden.url, 3, { ip: '198.51.100.3' });
    const reply = await send(hidden.url, { ip: '198.51.100.3' });
    assert.equal(reply.headers.get('ratelimit-policy'), '"burst";q=5;w=60');
    assert.equal(reply.headers.get('ratelimit'), '"burst";r=1;t=60');

    const shown = await app({ rules: [burst, trial], monitoredInHeaders: true, keyPrefix: 'shown:' });
    await statuses(shown.url, 3, { ip: '198.51.100.3' });
    const both = await send(shown.url, { ip: '198.51.100.3' });
    assert.equal(both.headers.get('ratelimit-policy'), '"burst";q=5;w=60, "trial";q=2;w=60');
    assert.equal(both.headers.get('ratelimit'), '"trial";r=0;t=60', 'the monitor rule is the closest to its limit');

    const only = await app({ rules: [trial], headers: 'both' });
    const none = await send(only.url, { ip: '198.51.100.4' });
    for (const header of ['ratelimit', 'ratelimit-policy', 'x-rate-limit-limit']) assert.equal(none.headers.get(header), null, header);
  });

  it('an API key is logged hashed, with the trace ID of the request', async () => {
    const { url, warnings } = await app({ clientKey: 'header:X-Api-Key', rules: [{ ...trial, limit: 1 }] }, );
    const secret = 'live-key-9d8c7b6a';
    await statuses(url, 2, { headers: { 'x-api-key': secret, 'x-trace': 'T-42' } });
    assert.equal(warnings.length, 1);
    assert.match(String(warnings[0]!.meta.client), /^key:[A-Za-z0-9_-]{43}$/);
    assert.ok(!JSON.stringify(warnings).includes(secret), 'the raw key is in no field');
    assert.equal(warnings[0]!.meta.traceId, 'T-42');
  });

  it('the outage fallback keeps monitor rules monitoring', async () => {
    const down: RateLimitStore = {
      hit: () => Promise.reject(new Error('store down')),
    };
    const { url, warnings } = await app({ rules: [{ ...trial, limit: 1 }], store: down });
    assert.deepEqual(await statuses(url, 3, { ip: '198.51.100.5' }), [200, 200, 200]);
    assert.ok(warnings.some((w) => /would refuse client 198\.51\.100\.5/.test(w.message)), warnings.map((w) => w.message).join('\n'));
  });
});
