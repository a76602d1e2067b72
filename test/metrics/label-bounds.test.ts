/**
 * A flood of distinct paths, methods or clients cannot grow the registry: paths never become label
 * values (only Express route patterns do, at most `maxRoutes` of them), unknown methods fold into
 * `_OTHER`, and the limiter's only label is the rule name.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import express from 'express';
import { Registry } from 'prom-client';
import { httpMetrics, metricsHandler } from '../../lib/metrics/index.js';
import { rateLimit } from '../../lib/rate-limit/index.js';
import { listen, scrape, value } from './helpers.js';

const DURATION = 'http_server_request_duration_seconds';

/** Sends `count` requests, `concurrency` at a time, over keep-alive connections. */
async function flood(origin: string, count: number, request: (i: number) => { path: string; method?: string; headers?: Record<string, string> }): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const statuses: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const { path, method = 'GET', headers = {} } = request(next++);
      statuses.push(
        await new Promise<number>((resolve, reject) => {
          const req = http.request(origin + path, { method, headers, agent }, (res) => {
            res.resume();
            res.once('end', () => resolve(res.statusCode ?? 0));
          });
          req.once('error', reject);
          req.end();
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  agent.destroy();
  return statuses;
}

const randomPath = (): string => `/${Math.random().toString(36).slice(2)}/${Math.random().toString(36).slice(2, 8)}`;

test('5,000 random paths: the http_route label set stays bounded and raw paths never appear', async (t) => {
  const registry = new Registry();
  const app = express();
  app.get('/metrics', metricsHandler(registry));
  app.use(httpMetrics({ registry, maxRoutes: 20 }));
  app.get('/items/:id', (req, res) => void res.json({ id: req.params.id }));
  // A router mounted on a path with a parameter: req.baseUrl holds the matched value, so each tenant
  // would be a new route label without the cap.
  const tenant = express.Router();
  tenant.get('/orders', (_req, res) => void res.json([]));
  app.use('/tenants/:tenant', tenant);
  const { origin } = await listen(t, app);

  const paths: string[] = [];
  const statuses = await flood(origin, 5000, (i) => {
    const path = i % 3 === 0 ? `/items/${i}` : i % 3 === 1 ? `/tenants/t${i}/orders` : randomPath();
    paths.push(path);
    return { path };
  });
  assert.equal(statuses.length, 5000);

  const scraped = await scrape(`${origin}/metrics`);
  const counts = scraped.samples.filter((s) => s.name === `${DURATION}_count`);
  const routes = new Set(counts.map((s) => s.labels.http_route));
  // /items/:id, the first tenants up to the cap, _OTHER, and no label at all for the 404s.
  assert.ok(routes.has('/items/:id'));
  assert.ok(routes.has('_OTHER'), 'routes past the cap are folded into _OTHER');
  assert.ok(routes.has(undefined), '404s carry no http_route');
  assert.ok(routes.size <= 20 + 2, `${routes.size} distinct http_route values`);
  assert.ok(counts.length <= 22, `${counts.length} series`);
  assert.equal(counts.reduce((n, s) => n + s.value, 0), 5000, 'every request observed once');
  assert.equal(value(scraped, `${DURATION}_count`, { http_route: '/items/:id' }), Math.ceil(5000 / 3));
  for (const path of paths) {
    if (path.startsWith('/tenants/')) continue; // the capped tenant mounts are a documented exception
    assert.ok(!scraped.text.includes(path), `raw path ${path} appeared in the scrape`);
  }
});

test('methods outside the HTTP set fold into _OTHER; status codes are the numbers', async (t) => {
  const registry = new Registry();
  const app = express();
  app.get('/metrics', metricsHandler(registry));
  app.use(httpMetrics({ registry }));
  app.all('/any', (_req, res) => void res.status(204).end());
  const { origin } = await listen(t, app);
  await flood(origin, 30, (i) => ({ path: '/any', method: ['PROPFIND', 'MKCOL', 'PATCH'][i % 3] ?? 'GET' }));
  const scraped = await scrape(`${origin}/metrics`);
  const methods = new Set(scraped.samples.filter((s) => s.name === `${DURATION}_count`).map((s) => s.labels.http_request_method));
  assert.deepEqual([...methods].sort(), ['PATCH', '_OTHER']);
  assert.equal(value(scraped, `${DURATION}_count`, { http_request_method: '_OTHER', http_response_status_code: '204', http_route: '/any' }), 20);
});

test('a flood of distinct clients adds no series: the limiter labels by rule only', async (t) => {
  const registry = new Registry();
  const app = express();
  app.get('/metrics', metricsHandler(registry));
  app.use(rateLimit({ registry, clientKey: 'header:X-Client', rules: [{ name: 'tiny', endpoint: '*', period: '1h', limit: 1 }] }));
  app.get('/x', (_req, res) => void res.json({}));
  const { origin } = await listen(t, app);
  // 1,000 clients, two requests each: the second of each is refused.
  const statuses = await flood(origin, 2000, (i) => ({ path: '/x', headers: { 'X-Client': `client-${i % 1000}` } }));
  const refused = statuses.filter((s) => s === 429).length;
  assert.equal(refused, 1000);
  const scraped = await scrape(`${origin}/metrics`);
  const series = scraped.samples.filter((s) => s.name.startsWith('api_guard_rate_limit_'));
  assert.deepEqual(series.filter((s) => s.name === 'api_guard_rate_limit_refusals_total').map((s) => [s.labels, s.value]), [[{ rule: 'tiny' }, 1000]]);
  assert.ok(!scraped.text.includes('client-'), 'a client key appeared in the scrape');
  // Memory store: answered synchronously, not timed.
  assert.equal(value(scraped, 'api_guard_rate_limit_store_duration_seconds_count'), 0);
});

for (const [name, load] of [
  ['Express 5', async () => (await import('express')).default],
  ['Express 4', async () => (await import('express4')).default as unknown as typeof express],
] as const) {
  test(`${name}: http_route keeps the mount path when an error leaves the router (a 500 from the app's error handler)`, async (t) => {
    const make = await load();
    const registry = new Registry();
    const app = make();
    app.get('/metrics', metricsHandler(registry));
    app.use(httpMetrics({ registry }));
    const api = make.Router();
    api.get('/boom/:id', () => {
      throw new Error('boom');
    });
    api.get('/', (_req, res) => void res.json({}));
    app.use('/api/v2', api);
    app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => void res.status(500).json({}));
    const { origin } = await listen(t, app as express.Express);
    for (const path of ['/api/v2/boom/1', '/api/v2/boom/2', '/api/v2', '/api/v2/']) await (await fetch(origin + path)).arrayBuffer();
    const scraped = await scrape(`${origin}/metrics`);
    assert.equal(value(scraped, `${DURATION}_count`, { http_response_status_code: '500', http_route: '/api/v2/boom/:id' }), 2);
    assert.equal(value(scraped, `${DURATION}_count`, { http_response_status_code: '200', http_route: '/api/v2' }), 2);
  });
}
