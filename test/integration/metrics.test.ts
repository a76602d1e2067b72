/**
 * The example serves Prometheus metrics: at /metrics on its own port to direct loopback callers only
 * (a request a local proxy forwarded gets the ordinary 404), or, with Metrics.Port, on a port of its
 * own and not on the app's. Scrapes are not API calls: no quota spent, no request log line.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { RunningServer } from '../../examples/issuetrak-style/app.js';
import { parsePrometheus, sum } from '../metrics/helpers.js';
import { baseConfig, makeConfigDir, readLogs, removeDir, request, startExample, waitFor } from './helpers.js';

async function start(t: TestContext, extra: object = {}, options: { metricsPort?: number } = {}): Promise<{ server: RunningServer; dir: string }> {
  const dir = makeConfigDir({ base: baseConfig([{ Name: 'tiny', Endpoint: '*', Period: '1h', Limit: 3 }], extra) });
  const server = await startExample(dir, { watch: false, ...options });
  t.after(async () => {
    await server.close();
    removeDir(dir);
  });
  return { server, dir };
}

test('/metrics answers loopback callers on the app port, spends no quota and writes no request line', async (t) => {
  const { server, dir } = await start(t);
  const origin = new URL(server.url).origin;
  assert.equal((await request(`${server.url}/Authenticate/test`)).status, 200);
  for (let i = 0; i < 5; i++) {
    const scraped = await request(`${origin}/metrics`, { auth: false });
    assert.equal(scraped.status, 200);
    assert.equal(scraped.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  }
  const { samples } = parsePrometheus((await request(`${origin}/metrics`, { auth: false })).text);
  assert.equal(sum({ samples }, 'http_server_request_duration_seconds_count', { http_route: '/api/v2/Authenticate/test' }), 1);
  assert.equal(sum({ samples }, 'api_guard_rate_limit_refusals_total'), 0, 'six scrapes did not use up the limit of 3');
  assert.equal((await request(`${server.url}/Authenticate/test`)).status, 200, 'the quota is still there');
  await waitFor('the request lines', () => readLogs(dir).includes('/api/v2/Authenticate/test responded'));
  assert.ok(!readLogs(dir).includes('GET /metrics'), 'a scrape wrote a request log line');
});

test('a request forwarded by a proxy gets what any other request to /metrics gets, not the metrics', async (t) => {
  const { server } = await start(t);
  const origin = new URL(server.url).origin;
  for (const header of ['X-Forwarded-For', 'Forwarded', 'X-Forwarded-Proto']) {
    const reply = await request(`${origin}/metrics`, { auth: false, headers: { [header]: header === 'Forwarded' ? 'for=203.0.113.9' : header === 'X-Forwarded-Proto' ? 'https' : '203.0.113.9' } });
    // The guard's own answer: here 403, since a forwarded plain-HTTP request is not let through (404 over TLS).
    assert.ok([403, 404].includes(reply.status), `${header}: ${reply.status}`);
    assert.doesNotMatch(reply.text, /http_server_request_duration_seconds/);
    assert.ok(reply.json().traceId, 'the guard’s envelope');
  }
});

test('Metrics.Port: a server of its own serves /metrics, the app port does not', async (t) => {
  const { server } = await start(t, { Metrics: { Enabled: true, Port: 65_000 } }, { metricsPort: 0 });
  assert.ok(server.metricsUrl, 'metricsUrl is set');
  assert.notEqual(new URL(server.metricsUrl).port, new URL(server.url).port);
  await request(`${server.url}/Authenticate/test`);
  const scraped = await request(server.metricsUrl, { auth: false });
  assert.equal(scraped.status, 200);
  assert.equal(sum(parsePrometheus(scraped.text), 'http_server_request_duration_seconds_count'), 1);
  assert.equal((await request(`${new URL(server.url).origin}/metrics`, { auth: false })).status, 404);
  assert.equal((await request(new URL('/other', server.metricsUrl).href, { auth: false })).status, 404);
});

test('Metrics.Enabled false: no /metrics anywhere', async (t) => {
  const { server } = await start(t, { Metrics: { Enabled: false, Port: 65_000 } }, { metricsPort: 0 });
  assert.equal(server.metricsUrl, undefined);
  assert.equal(server.guard.metrics, undefined);
  assert.equal((await request(`${new URL(server.url).origin}/metrics`, { auth: false })).status, 404);
});
