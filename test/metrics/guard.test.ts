/**
 * The guard's metrics as Prometheus reads them: guard.metricsHandler scraped over HTTP and the text
 * parsed. Refusals per rule equal the 429s the client saw, the HTTP histogram counts every response by
 * method, status and route, config reloads count applied and rejected edits, and `Metrics.Enabled:
 * false` removes it all.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import express from 'express';
import { createApiGuard, type LogSink } from '../../lib/index.js';
import { configDir, listen, scrape, sum, until, value } from './helpers.js';

const RULES = [
  { Name: 'writes', Endpoint: 'post:*', Period: '1h', Limit: 2 },
  { Name: 'hourly', Endpoint: '*', Period: '1h', Limit: 6 },
];

async function guardApp(t: TestContext, config: object, logger?: LogSink) {
  const dir = configDir(t, config);
  const guard = await createApiGuard({ configDir: dir, env: {}, watch: logger !== undefined, debounceMs: 20, ...(logger ? { logger } : {}) });
  t.after(() => guard.close());
  const app = express();
  app.get('/metrics', guard.metricsHandler);
  app.use(guard.before);
  const api = express.Router();
  api.get('/issues/:id', (req, res) => void res.json({ id: req.params.id }));
  api.post('/issues', (_req, res) => void res.status(201).json({}));
  app.use('/api/v2', api);
  app.use(guard.after);
  const { origin } = await listen(t, app);
  return { guard, origin, dir };
}

const BASE = { RateLimiting: { Rules: RULES }, Logging: { Console: false, Directory: 'logs' }, Https: { Required: false } };

test('refusals per rule equal the 429s observed; the histogram counts every response by method, status and route', async (t) => {
  const { guard, origin } = await guardApp(t, BASE);
  assert.ok(guard.metrics, 'Metrics.Enabled defaults to true');
  const statuses: number[] = [];
  const refusedBy = new Map<string, number>();
  const send = async (method: string, url: string) => {
    const response = await fetch(origin + url, { method });
    statuses.push(response.status);
    if (response.status === 429) {
      const rule = /"(\w+)"/.exec(response.headers.get('ratelimit') ?? '')?.[1] ?? '?';
      refusedBy.set(rule, (refusedBy.get(rule) ?? 0) + 1);
    }
    await response.arrayBuffer();
  };
  for (let i = 0; i < 4; i++) await send('POST', '/api/v2/issues');
  for (let i = 0; i < 7; i++) await send('GET', `/api/v2/issues/${i}`);

  const observed429 = statuses.filter((s) => s === 429).length;
  assert.equal(observed429, 2 + 3, 'two writes over the write rule, then GETs past the hourly 6 (refused requests count nowhere)');
  const scraped = await scrape(`${origin}/metrics`);
  assert.equal(scraped.contentType, 'text/plain; version=0.0.4; charset=utf-8');
  assert.equal(scraped.types.get('api_guard_rate_limit_refusals_total'), 'counter');
  assert.equal(value(scraped, 'api_guard_rate_limit_refusals_total', { rule: 'writes' }), 2);
  assert.equal(value(scraped, 'api_guard_rate_limit_refusals_total', { rule: 'hourly' }), 3);
  assert.equal(sum(scraped, 'api_guard_rate_limit_refusals_total'), observed429);
  assert.equal(value(scraped, 'api_guard_rate_limit_fallback_decisions_total'), 0);
  assert.equal(value(scraped, 'api_guard_rate_limit_store_up'), 1);
  assert.equal(scraped.types.get('api_guard_rate_limit_monitored_total'), 'counter');

  const count = 'http_server_request_duration_seconds_count';
  assert.equal(scraped.types.get('http_server_request_duration_seconds'), 'histogram');
  assert.equal(value(scraped, count, { http_request_method: 'POST', http_response_status_code: '201', http_route: '/api/v2/issues' }), 2);
  // A refusal is answered before routing: Express knows no route for it, so it has no http_route.
  const refusedPosts = scraped.samples.filter((s) => s.name === count && s.labels.http_response_status_code === '429' && s.labels.http_request_method === 'POST');
  assert.deepEqual(refusedPosts.map((s) => [s.labels.http_route, s.value]), [[undefined, 2]]);
  assert.equal(value(scraped, count, { http_request_method: 'GET', http_response_status_code: '200', http_route: '/api/v2/issues/:id' }), 4);
  assert.equal(sum(scraped, count, { http_response_status_code: '429' }), observed429);
  assert.equal(sum(scraped, count), statuses.length, 'the scrape itself is not behind the guard and not counted');
  const inf = sum(scraped, 'http_server_request_duration_seconds_bucket', { le: '+Inf' });
  assert.equal(inf, statuses.length);
  // Raw paths never become label values.
  assert.ok(!scraped.text.includes('/api/v2/issues/3'), 'a raw path appeared in the scrape');
  assert.equal(value(scraped, 'api_guard_config_reloads_total', { result: 'applied' }), 0);
  assert.equal(value(scraped, 'api_guard_config_reloads_total', { result: 'rejected' }), 0);
  assert.equal(value(scraped, 'api_guard_log_lines_dropped_total'), 0);
});

test('config reloads are counted as applied or rejected', async (t) => {
  const waiting: Array<{ match: RegExp; resolve: () => void }> = [];
  const line = (message: string) => {
    for (const w of waiting.filter((w) => w.match.test(message))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
  };
  const sink: LogSink = { debug: line, info: line, warn: line, error: line };
  const next = (match: RegExp) => new Promise<void>((resolve) => waiting.push({ match, resolve }));
  const { origin, dir } = await guardApp(t, BASE, sink);
  const file = path.join(dir, 'appsettings.json');

  const applied = next(/^Configuration reloaded/);
  writeFileSync(file, JSON.stringify({ ...BASE, Tracing: { Format: 'w3c' } }));
  await applied;
  const rejected = next(/Limit/);
  writeFileSync(file, JSON.stringify({ ...BASE, RateLimiting: { Rules: [{ Name: 'x', Endpoint: '*', Period: '1m', Limit: -1 }] } }));
  await rejected;

  const scraped = await scrape(`${origin}/metrics`);
  assert.equal(value(scraped, 'api_guard_config_reloads_total', { result: 'applied' }), 1);
  assert.equal(value(scraped, 'api_guard_config_reloads_total', { result: 'rejected' }), 1);
});

test('log lines the logger could not write are counted', async (t) => {
  // Logging.Directory names a file, so no log file can be opened: every line meant for it is lost.
  const dir = configDir(t, {});
  writeFileSync(path.join(dir, 'not-a-folder'), 'x');
  const { origin } = await guardApp(t, { ...BASE, Logging: { Console: false, Directory: path.join(dir, 'not-a-folder') } });
  await (await fetch(`${origin}/api/v2/issues/1`)).arrayBuffer();
  // At least the startup line and the request's line (written when the response has gone out).
  await until(async () => value(await scrape(`${origin}/metrics`), 'api_guard_log_lines_dropped_total') >= 2, 'two dropped lines counted');
});

test('Metrics.Enabled false: no registry, no histogram in the chain, and the handler passes on to the 404', async (t) => {
  const { guard, origin } = await guardApp(t, { ...BASE, Metrics: { Enabled: false } });
  assert.equal(guard.metrics, undefined);
  const response = await fetch(`${origin}/metrics`);
  assert.equal(response.status, 404);
  assert.match(response.headers.get('content-type') ?? '', /json/, 'the guard’s 404 envelope answered');
  await response.arrayBuffer();
});

test('Metrics.Enabled can be switched on and off by editing the config', async (t) => {
  const waiting: Array<() => void> = [];
  const line = (message: string) => {
    if (/^Configuration reloaded/.test(message)) waiting.shift()?.();
  };
  const sink: LogSink = { debug: line, info: line, warn: line, error: line };
  const reloaded = () => new Promise<void>((resolve) => waiting.push(resolve));
  const { guard, origin, dir } = await guardApp(t, { ...BASE, Metrics: { Enabled: false } }, sink);
  const file = path.join(dir, 'appsettings.json');
  let done = reloaded();
  writeFileSync(file, JSON.stringify({ ...BASE, Metrics: { Enabled: true } }));
  await done;
  assert.ok(guard.metrics);
  for (let i = 0; i < 7; i++) await (await fetch(`${origin}/api/v2/issues/${i}`)).arrayBuffer();
  const scraped = await scrape(`${origin}/metrics`);
  assert.equal(value(scraped, 'api_guard_rate_limit_refusals_total', { rule: 'hourly' }), 1);
  assert.equal(sum(scraped, 'http_server_request_duration_seconds_count'), 7);
  assert.equal(value(scraped, 'api_guard_config_reloads_total', { result: 'applied' }), 1);

  done = reloaded();
  writeFileSync(file, JSON.stringify({ ...BASE, Metrics: { Enabled: false } }));
  await done;
  assert.equal(guard.metrics, undefined);
  // Passed on into the guard (which has refused this client by now) instead of answered with metrics.
  const response = await fetch(`${origin}/metrics`);
  assert.notEqual(response.status, 200);
  assert.doesNotMatch(await response.text(), /http_server_request_duration_seconds/);
});
