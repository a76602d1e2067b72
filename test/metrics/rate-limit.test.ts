/**
 * `rateLimit({ registry })` alone: the limiter's instruments against a real Redis (a test-owned
 * redis-server killed and restarted for the outage), shared registries, option checks, and no
 * registry meaning nothing is measured and prom-client is not even loaded.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import express from 'express';
import { Registry } from 'prom-client';
import { metricsHandler } from '../../lib/metrics/index.js';
import { rateLimit, RedisStore } from '../../lib/rate-limit/index.js';
import { startRedis } from '../fixtures/redis-server.js';
import { listen, scrape, until, value } from './helpers.js';

const RULES = [
  { name: 'burst', endpoint: '*', period: '1s', limit: 100_000 },
  { name: 'hour', endpoint: '*', period: '1h', limit: 5 },
];

test('Redis: store calls timed, an outage sets store_up to 0 and counts fallback decisions, recovery sets it back to 1', async (t) => {
  const redis = await startRedis();
  const registry = new Registry();
  const store = new RedisStore({ url: redis.url, keyPrefix: `metrics:${process.pid}:` });
  const limiter = rateLimit({ registry, store, rules: RULES, onError: 'open', timeoutMs: 500 });
  let down = false;
  // Closing the store waits for Redis, so a failed assertion during the outage must bring it back first.
  t.after(async () => {
    if (down) await redis.restart();
    await limiter.close();
    await redis.stop();
  });
  const app = express();
  app.get('/metrics', metricsHandler(registry));
  app.use(limiter);
  app.get('/x', (_req, res) => void res.json({}));
  const { origin } = await listen(t, app);
  const get = async () => {
    const response = await fetch(`${origin}/x`);
    await response.arrayBuffer();
    return response.status;
  };

  const before = [];
  for (let i = 0; i < 7; i++) before.push(await get());
  assert.deepEqual(before, [200, 200, 200, 200, 200, 429, 429]);
  let scraped = await scrape(`${origin}/metrics`);
  assert.equal(value(scraped, 'api_guard_rate_limit_store_duration_seconds_count'), 7, 'one timed store call per request');
  assert.ok(value(scraped, 'api_guard_rate_limit_store_duration_seconds_sum') > 0);
  assert.equal(value(scraped, 'api_guard_rate_limit_store_up'), 1);
  assert.equal(value(scraped, 'api_guard_rate_limit_refusals_total', { rule: 'hour' }), 2);

  await redis.kill();
  down = true;
  const during: number[] = [];
  for (let i = 0; i < 8; i++) during.push(await get());
  scraped = await scrape(`${origin}/metrics`);
  assert.equal(value(scraped, 'api_guard_rate_limit_store_up'), 0);
  // Every request of the outage was decided in-process: the first by the failed call, the rest skipped the store.
  assert.equal(value(scraped, 'api_guard_rate_limit_fallback_decisions_total'), 8);
  // The fallback counts from zero (limit 5): five admitted, then refused by the same rule.
  assert.deepEqual(during, [200, 200, 200, 200, 200, 429, 429, 429]);
  assert.equal(value(scraped, 'api_guard_rate_limit_refusals_total', { rule: 'hour' }), 2 + 3);

  await redis.restart();
  down = false;
  // The limiter probes the store at most once a second during an outage: keep asking until it has.
  await until(async () => {
    await get();
    return value(await scrape(`${origin}/metrics`), 'api_guard_rate_limit_store_up') === 1;
  }, 'the store to be seen up again', 15_000);
});

test('two limiters sharing a registry share the instruments (no duplicate-registration error)', async (t) => {
  const registry = new Registry();
  const reads = rateLimit({ registry, rules: [{ name: 'reads', endpoint: 'get:*', period: '1h', limit: 1 }] });
  const writes = rateLimit({ registry, rules: [{ name: 'writes', endpoint: 'post:*', period: '1h', limit: 1 }] });
  t.after(async () => {
    await reads.close();
    await writes.close();
  });
  const app = express();
  app.get('/metrics', metricsHandler(registry));
  app.use(reads, writes);
  app.all('/x', (_req, res) => void res.json({}));
  const { origin } = await listen(t, app);
  for (const method of ['GET', 'GET', 'POST', 'POST', 'POST']) await (await fetch(`${origin}/x`, { method })).arrayBuffer();
  const scraped = await scrape(`${origin}/metrics`);
  assert.equal(value(scraped, 'api_guard_rate_limit_refusals_total', { rule: 'reads' }), 1);
  assert.equal(value(scraped, 'api_guard_rate_limit_refusals_total', { rule: 'writes' }), 2);
});

test('a Monitor rule counts every request it would have refused in api_guard_rate_limit_monitored_total, and refuses none', async (t) => {
  const registry = new Registry();
  const limiter = rateLimit({ registry, rules: [{ name: 'trial', endpoint: '*', period: '1h', limit: 2, mode: 'Monitor' }] });
  t.after(() => limiter.close());
  const app = express();
  app.get('/metrics', metricsHandler(registry));
  app.use(limiter);
  app.get('/x', (_req, res) => void res.json({}));
  const { origin } = await listen(t, app);
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) {
    const response = await fetch(`${origin}/x`);
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
  const scraped = await scrape(`${origin}/metrics`);
  assert.equal(value(scraped, 'api_guard_rate_limit_monitored_total', { rule: 'trial' }), 3, 'requests 3, 4 and 5');
  assert.equal(value(scraped, 'api_guard_rate_limit_refusals_total', { rule: 'trial' }), 0);
});

test('registry must be a prom-client Registry', () => {
  assert.throws(() => rateLimit({ registry: {} as Registry }), { name: 'OptionsError', message: /registry.*prom-client Registry/s });
  assert.throws(() => rateLimit({ registry: 'default' as unknown as Registry }), /prom-client Registry/);
});

test('without a registry (and with Metrics.Enabled false) prom-client is never loaded', () => {
  const repo = path.resolve(import.meta.dirname, '..', '..');
  const script = `
    import { createRequire } from 'node:module';
    import { mkdtempSync, writeFileSync } from 'node:fs';
    import { tmpdir } from 'node:os';
    import path from 'node:path';
    const { rateLimit } = await import('./lib/rate-limit/index.ts');
    const { createApiGuard } = await import('./lib/index.ts');
    const limiter = rateLimit();
    await limiter.close();
    const dir = mkdtempSync(path.join(tmpdir(), 'no-prom-'));
    writeFileSync(path.join(dir, 'appsettings.json'), JSON.stringify({ Metrics: { Enabled: false }, Logging: { Console: false, Directory: path.join(dir, 'logs') } }));
    const guard = await createApiGuard({ configDir: dir, env: {}, watch: false });
    await guard.close();
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((f) => f.includes('/prom-client/'));
    console.log(JSON.stringify(loaded));
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out.trim().split('\n').pop() ?? 'null'), []);
});
