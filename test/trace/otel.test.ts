/**
 * With an OpenTelemetry SDK registered (the real @opentelemetry/sdk-trace-base and the async-hooks
 * context manager) and a span active around each request, as @opentelemetry/instrumentation-http
 * makes one: the response header, the error body and every log line carry that span's trace ID, and
 * log lines its span ID, whatever `Tracing.Format` says. This file registers the SDK globally, so it
 * runs in its own process (node --test runs each file apart); otel-absent.test.ts checks the reverse.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { context, trace, type SpanContext } from '@opentelemetry/api';
import { AsyncHooksContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import express from 'express';
import { createApiGuard } from '../../lib/index.js';

context.setGlobalContextManager(new AsyncHooksContextManager().enable());
trace.setGlobalTracerProvider(new BasicTracerProvider());
const tracer = trace.getTracer('express-api-guard-test');

interface Line {
  message: string;
  category: string;
  traceId?: string;
  spanId?: string;
  [key: string]: unknown;
}

/** The guard's app inside an http server whose 'request' handler starts an active span, like instrumentation-http. */
async function tracedGuard(t: TestContext, tracing: object) {
  const dir = mkdtempSync(path.join(tmpdir(), 'guard-otel-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    path.join(dir, 'appsettings.json'),
    JSON.stringify({ Tracing: tracing, Https: { Required: false }, Logging: { Console: false, Directory: 'logs', LogLevel: { Default: 'Debug' } }, Metrics: { Enabled: false } }),
  );
  const guard = await createApiGuard({ configDir: dir, env: {}, watch: false });
  const app = express();
  app.use(guard.before);
  app.get('/api/v2/issues/:id', (req, res) => {
    guard.logger.forCategory('Issues').info('issue read', { id: req.params.id });
    res.json({ id: req.params.id });
  });
  app.get('/api/v2/fail', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    throw new Error('handler failed');
  });
  app.use(guard.after);

  const spans = new Map<string, SpanContext>();
  const server = http.createServer((req, res) => {
    tracer.startActiveSpan(`${req.method} ${req.url}`, (span) => {
      spans.set(String(req.headers['x-request']), span.spanContext());
      res.once('close', () => span.end());
      app(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    server.closeAllConnections();
    server.close();
    await guard.close();
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = async (url: string, id: string) => {
    const response = await fetch(origin + url, { headers: { 'x-request': id } });
    return { response, body: (await response.json()) as { traceId?: string } };
  };
  const lines = async (): Promise<Line[]> => {
    await guard.close(); // flushes the log file
    const logs = path.join(dir, 'logs');
    return readdirSync(logs)
      .filter((f) => f.endsWith('.log'))
      .flatMap((f) => readFileSync(path.join(logs, f), 'utf8').split('\n'))
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Line);
  };
  return { get, spans, lines };
}

test('aspnet format: the active span decides the trace ID of the header, the bodies and every log line', async (t) => {
  const { get, spans, lines } = await tracedGuard(t, { Format: 'aspnet', Header: 'X-Trace-Id' });

  const ok = await get('/api/v2/issues/7', 'ok');
  const notFound = await get('/api/v2/nowhere', 'missing');
  const failed = await get('/api/v2/fail', 'failed');
  assert.deepEqual([ok.response.status, notFound.response.status, failed.response.status], [200, 404, 500]);

  for (const [id, reply] of [['ok', ok], ['missing', notFound], ['failed', failed]] as const) {
    const span = spans.get(id);
    assert.ok(span, `no span recorded for ${id}`);
    assert.match(span.traceId, /^[0-9a-f]{32}$/);
    assert.equal(reply.response.headers.get('x-trace-id'), span.traceId, `${id}: header`);
    assert.equal(reply.response.headers.get('traceparent'), null, 'aspnet answers no traceparent');
    if (id !== 'ok') assert.equal(reply.body.traceId, span.traceId, `${id}: error body`);
  }

  const all = await lines();
  for (const [id, expected] of [['ok', 2], ['missing', 1], ['failed', 2]] as const) {
    const span = spans.get(id)!;
    const mine = all.filter((l) => l.traceId === span.traceId);
    assert.ok(mine.length >= expected, `${id}: ${mine.length} log lines carry the span's trace ID: ${JSON.stringify(all, null, 1)}`);
    for (const line of mine) assert.equal(line.spanId, span.spanId, `${id}: "${line.message}" carries the span ID`);
  }
  const handlerLine = all.find((l) => l.message === 'issue read');
  assert.equal(handlerLine?.traceId, spans.get('ok')!.traceId);
  const requestLine = all.find((l) => l.category === 'Http' && l.path === '/api/v2/fail');
  assert.equal(requestLine?.traceId, spans.get('failed')!.traceId);
  assert.equal(requestLine?.spanId, spans.get('failed')!.spanId);
  const errorLine = all.find((l) => l.category === 'Errors' && /handler failed/.test(JSON.stringify(l)));
  assert.equal(errorLine?.traceId, spans.get('failed')!.traceId, 'the 500 is logged with the span’s trace ID');
  // Lines outside any request (startup) have no trace or span ID.
  assert.ok(all.some((l) => l.traceId === undefined && l.spanId === undefined));
});

test('w3c format: traceparent answers the span, sampled flag included', async (t) => {
  const { get, spans } = await tracedGuard(t, { Format: 'w3c', Header: 'X-Trace-Id' });
  const { response } = await get('/api/v2/issues/1', 'w3c');
  const span = spans.get('w3c')!;
  assert.equal(response.headers.get('x-trace-id'), span.traceId);
  assert.equal(response.headers.get('traceparent'), `00-${span.traceId}-${span.spanId}-01`);
});
