import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { test } from 'node:test';
import express from 'express';
import { ApiError } from '../../lib/core/index.js';
import { OptionsError } from '../../lib/errors/index.js';
import { getTraceId, isAspNetTraceId, traceId } from '../../lib/trace/index.js';
import { listen } from '../logging/helpers.js';

const ASPNET = /^[0-9A-V]{13}:[0-9A-F]{8}$/;

function get(url: string, agent?: http.Agent, headers: http.OutgoingHttpHeaders = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

function appWith(options: Parameters<typeof traceId>[0] = {}) {
  const app = express();
  app.set('env', 'test'); // keeps Express's own error printing quiet
  app.use(traceId(options));
  app.get('/ok', (_req, res) => {
    res.json({ id: res.locals.traceId, context: getTraceId() });
  });
  app.get('/after-await', async (_req, res) => {
    await new Promise((r) => setTimeout(r, 5));
    res.json({ context: getTraceId() });
  });
  app.get('/boom', () => {
    throw new Error('boom');
  });
  app.get('/limited', (_req, _res, next) => {
    next(new ApiError('slow down', { status: 429 }));
  });
  return app;
}

test('aspnet: the counter counts requests on one keep-alive connection; connections get distinct ids', async (t) => {
  const { url } = await listen(appWith(), t);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  t.after(() => agent.destroy());
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push(String((await get(`${url}/ok`, agent)).headers['x-trace-id']));
  for (const id of ids) assert.match(id, ASPNET);
  const [conn] = ids[0]!.split(':');
  assert.deepEqual(ids, [`${conn}:00000001`, `${conn}:00000002`, `${conn}:00000003`]);

  const other = new http.Agent({ keepAlive: true, maxSockets: 1 });
  t.after(() => other.destroy());
  const second = String((await get(`${url}/ok`, other)).headers['x-trace-id']);
  assert.match(second, ASPNET);
  assert.notEqual(second.split(':')[0], conn);
  assert.ok(second.endsWith(':00000001'));
  assert.ok(isAspNetTraceId(second));
});

test('the ID is in res.locals, in the header and in getTraceId(), also after await', async (t) => {
  const { url } = await listen(appWith(), t);
  const res = await get(`${url}/ok`);
  const body = JSON.parse(res.body) as { id: string; context: string };
  assert.equal(body.id, res.headers['x-trace-id']);
  assert.equal(body.context, body.id);
  const later = await get(`${url}/after-await`);
  assert.equal((JSON.parse(later.body) as { context: string }).context, later.headers['x-trace-id']);
});

test('the ID header is on 404, 429 and 500 responses rendered by Express itself', async (t) => {
  const { url } = await listen(appWith({ header: 'X-Request-Trace' }), t);
  for (const [path, status] of [['/missing', 404], ['/limited', 429], ['/boom', 500]] as const) {
    const res = await get(url + path);
    assert.equal(res.status, status);
    assert.match(String(res.headers['x-request-trace']), ASPNET, path);
  }
});

test('w3c: 32 lowercase hex and a traceparent answer; incoming traceparent ignored unless trusted', async (t) => {
  const { url } = await listen(appWith({ format: 'w3c' }), t);
  const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const res = await get(`${url}/ok`, undefined, { traceparent: incoming });
  const id = String(res.headers['x-trace-id']);
  assert.match(id, /^[0-9a-f]{32}$/);
  assert.notEqual(id, '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.match(String(res.headers.traceparent), new RegExp(`^00-${id}-[0-9a-f]{16}-00$`));
});

test('w3c + trustTraceparent continues a valid trace with a new span id', async (t) => {
  const { url } = await listen(appWith({ format: 'w3c', trustTraceparent: true }), t);
  const res = await get(`${url}/ok`, undefined, { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
  assert.equal(res.headers['x-trace-id'], '4bf92f3577b34da6a3ce929d0e0e4736');
  const [version, trace, span, flags] = String(res.headers.traceparent).split('-');
  assert.deepEqual([version, trace, flags], ['00', '4bf92f3577b34da6a3ce929d0e0e4736', '01']);
  assert.match(span!, /^[0-9a-f]{16}$/);
  assert.notEqual(span, '00f067aa0ba902b7');
  // A later version with extra fields is understood; we answer in version 00.
  const future = await get(`${url}/ok`, undefined, { traceparent: 'cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-ever' });
  assert.equal(future.headers['x-trace-id'], '4bf92f3577b34da6a3ce929d0e0e4736');
});

test('w3c + trustTraceparent ignores every invalid traceparent', async (t) => {
  const { url } = await listen(appWith({ format: 'w3c', trustTraceparent: true }), t);
  const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
  const bad = [
    `ff-${trace}-00f067aa0ba902b7-01`, // version ff is forbidden
    `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, // all-zero trace id
    `00-${trace}-${'0'.repeat(16)}-01`, // all-zero parent id
    `00-${trace.toUpperCase()}-00f067aa0ba902b7-01`, // uppercase
    `00-${trace}-00f067aa0ba902b7-01-extra`, // version 00 has exactly four fields
    `00-${trace}-00f067aa0ba902b7-1`, // short flags
    `00_${trace}_00f067aa0ba902b7_01`, // wrong separators
    ` 00-${trace}-00f067aa0ba902b7-01x`,
    `00-${trace}-00f067aa0ba902b7-01, 00-${trace}-00f067aa0ba902b7-01`, // two values
    `00-${trace}-00f067aa0ba902b7-01` + '-x'.repeat(300), // absurdly long
  ];
  for (const value of bad) {
    const res = await get(`${url}/ok`, undefined, { traceparent: value });
    const id = String(res.headers['x-trace-id']);
    assert.match(id, /^[0-9a-f]{32}$/, value);
    assert.notEqual(id, trace, value);
  }
});

test('hostile client IDs never reach the response: the ID is always generated', async (t) => {
  const { url, server } = await listen(appWith(), t);
  const res = await get(`${url}/ok`, undefined, { 'x-trace-id': 'evil:00000001', traceparent: 'evil' });
  assert.match(String(res.headers['x-trace-id']), ASPNET);
  assert.notEqual(res.headers['x-trace-id'], 'evil:00000001');

  // A raw request smuggling CR/LF sequences in header values: Node rejects bare CRs before Express
  // runs; a value with an escaped CRLF is only ever ignored, never echoed.
  const port = (server.address() as net.AddressInfo).port;
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(
        'GET /ok HTTP/1.1\r\nHost: x\r\nX-Trace-Id: a%0d%0aSet-Cookie: x=1\r\ntraceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01%0d%0aX-Evil: 1\r\nConnection: close\r\n\r\n',
      );
    });
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
  const head = raw.split('\r\n\r\n')[0]!;
  assert.match(head, /^HTTP\/1\.1 200/);
  assert.doesNotMatch(head, /Set-Cookie|X-Evil|%0d|4bf92f35/i);
  assert.match(head, /X-Trace-Id: [0-9A-V]{13}:[0-9A-F]{8}\r?$/m);
});

test('options are validated at construction with a code and a hint', () => {
  const cases: [unknown, string, RegExp][] = [
    [{ header: 'X Trace' }, 'ERR_TRACE_HEADER', /"X Trace" is not a header name/],
    [{ header: 'X-Trace\r\nSet-Cookie: a' }, 'ERR_TRACE_HEADER', /is not a header name/],
    [{ header: '' }, 'ERR_TRACE_HEADER', /is not a header name/],
    [{ header: 'X-' + 'a'.repeat(63) }, 'ERR_TRACE_HEADER', /1 to 64 letters/],
    [{ format: 'w3c', header: 'traceparent' }, 'ERR_TRACE_HEADER', /already sent/],
    [{ format: 'xml' }, 'ERR_TRACE_INVALID_OPTION', /one of "aspnet", "w3c"/],
    [{ fromat: 'w3c' }, 'ERR_TRACE_UNKNOWN_OPTION', /fromat: unknown option. Did you mean "format"/],
    [{ trust_traceparent: true }, 'ERR_TRACE_UNKNOWN_OPTION', /Did you mean "trustTraceparent"/],
    [{ trustTraceparent: 'yes' }, 'ERR_TRACE_INVALID_OPTION', /true or false/],
  ];
  for (const [options, code, message] of cases) {
    assert.throws(
      () => traceId(options as Parameters<typeof traceId>[0]),
      (error: unknown) => error instanceof OptionsError && error.code === code && message.test(error.message),
      JSON.stringify(options),
    );
  }
  assert.doesNotThrow(() => traceId({ format: 'W3C' as 'w3c', header: 'X-Correlation-ID' }));
});
