/**
 * `MetricsRegistry`, our structural type for a prom-client Registry (so that no published declaration
 * names prom-client, an optional peer), against the real class. Half of this is checked by the
 * compiler (`npm run typecheck` covers test/): a real `new Registry()` is a MetricsRegistry wherever
 * our API takes one, and `guard.metrics` goes to prom-client's own functions with the one cast the
 * docs show. The other half runs: what a user does with guard.metrics through that cast works.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import express from 'express';
import { collectDefaultMetrics, Counter, Registry, type OpenMetricsContentType } from 'prom-client';
import { createApiGuard, rateLimit, type ApiGuard } from '../../lib/index.js';
import { httpMetrics, metricsHandler, type MetricsRegistry } from '../../lib/metrics/index.js';
import { configDir, listen, scrape, value } from './helpers.js';

// Compile-time: prom-client's registries are MetricsRegistry, in every position our API takes one.
const prometheus: MetricsRegistry = new Registry();
const openMetrics: MetricsRegistry = new Registry<OpenMetricsContentType>();
const options = { registry: new Registry() };
void [prometheus, openMetrics, () => rateLimit(options), () => httpMetrics(options), () => metricsHandler(new Registry())];

// Compile-time: guard.metrics reaches prom-client's functions with one cast (docs/observability.md).
function useWithPromClient(guard: ApiGuard): void {
  if (guard.metrics === undefined) return;
  collectDefaultMetrics({ register: guard.metrics as Registry });
  // @ts-expect-error without the cast prom-client's types refuse it (if this ever compiles, drop the cast from the docs)
  collectDefaultMetrics({ register: guard.metrics });
}
void useWithPromClient;

test('guard.metrics works as a prom-client Registry: default metrics and a counter of the app show up in its scrape', async (t) => {
  const dir = configDir(t, { Logging: { Console: false, Directory: 'logs' }, Https: { Required: false } });
  const guard = await createApiGuard({ configDir: dir, env: {}, watch: false });
  t.after(() => guard.close());
  const registry = guard.metrics;
  assert.ok(registry, 'Metrics.Enabled defaults to true and prom-client is installed here');
  collectDefaultMetrics({ register: registry as Registry, prefix: 'app_' });
  const orders = new Counter({ name: 'app_orders_total', help: 'Orders placed.', registers: [registry as Registry] });
  orders.inc(3);
  // Without a cast, through MetricsRegistry's own members.
  const refunds = new Counter({ name: 'app_refunds_total', help: 'Refunds.', registers: [] });
  registry.registerMetric(refunds);
  refunds.inc();
  assert.equal(registry.getSingleMetric('app_orders_total'), orders);

  const app = express();
  app.get('/metrics', guard.metricsHandler);
  const { origin } = await listen(t, app);
  const scraped = await scrape(`${origin}/metrics`);
  assert.equal(value(scraped, 'app_orders_total'), 3);
  assert.equal(value(scraped, 'app_refunds_total'), 1);
  assert.ok(value(scraped, 'app_process_cpu_user_seconds_total') > 0, 'collectDefaultMetrics registered into guard.metrics');
  assert.equal(scraped.types.get('api_guard_config_reloads_total'), 'counter', "the guard's own metrics are still there");
});
