import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import express from 'express';
import { ApiError } from '../../lib/core/index.js';
import { createLogger, requestLogger } from '../../lib/logging/index.js';
import { traceId } from '../../lib/trace/index.js';
import { listen, readLogLines, responsesDone, tempDir } from './helpers.js';

async function setup(t: Parameters<typeof tempDir>[0] & { after(fn: () => Promise<void> | void): void }, options: { includeQuery?: boolean } = {}) {
  const dir = tempDir(t);
  const logger = createLogger({ Directory: dir, Console: false, LogLevel: { Default: 'Information' } });
  const app = express();
  app.set('env', 'test'); // keeps Express's own error printing quiet
  app.use(traceId());
  app.use(requestLogger({ logger, ...options }));
  const done = responsesDone();
  app.use(done.middleware);
  app.get('/ok', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/work', async (req, res) => {
    const log = logger.forCategory('Tickets');
    log.info('start', { n: req.query.n });
    await new Promise((r) => setTimeout(r, Math.random() * 20));
    log.info('after await', { n: req.query.n });
    await Promise.resolve();
    setTimeout(() => {
      log.info('in a timer', { n: req.query.n });
      res.json({ n: req.query.n });
    }, Math.random() * 5);
  });
  app.get('/slow', (_req, res) => {
    setTimeout(() => res.json({ late: true }), 300);
  });
  app.get('/limited', (_req, _res, next) => next(new ApiError('slow down', { status: 429 })));
  app.get('/boom', () => {
    throw new Error('boom');
  });
  const { url } = await listen(app, t);
  return { dir, logger, url, done };
}

test('one line per request: method, path without query, status, duration, bytes, client, traceId; level by status', async (t) => {
  const { dir, logger, url, done } = await setup(t);
  const ok = await fetch(`${url}/ok?token=abc123`);
  await ok.text();
  for (const path of ['/limited', '/boom', '/missing']) await (await fetch(url + path)).text();
  await done.waitFor(4);
  await logger.close();
  const lines = readLogLines(dir).filter((l) => l.category === 'Http');
  assert.equal(lines.length, 4);
  const first = lines[0]!;
  assert.equal(first.level, 'Information');
  assert.equal(first.method, 'GET');
  assert.equal(first.path, '/ok');
  assert.equal(first.status, 200);
  assert.equal(first.bytes, 11);
  assert.equal(first.client, '127.0.0.1');
  assert.equal(first.traceId, ok.headers.get('x-trace-id'));
  assert.equal(typeof first.durationMs, 'number');
  assert.match(String(first.message), /^GET \/ok responded 200 in [\d.]+ ms$/);
  assert.equal(JSON.stringify(lines).includes('abc123'), false, 'query string dropped');
  assert.deepEqual(lines.slice(1).map((l) => [l.path, l.status, l.level]), [
    ['/limited', 429, 'Warning'],
    ['/boom', 500, 'Error'],
    ['/missing', 404, 'Warning'],
  ]);
});

test('includeQuery keeps the query string', async (t) => {
  const { dir, logger, url, done } = await setup(t, { includeQuery: true });
  await (await fetch(`${url}/ok?page=2`)).text();
  await done.waitFor(1);
  await logger.close();
  assert.equal(readLogLines(dir)[0]!.path, '/ok?page=2');
});

test('a request the client aborts is logged as aborted', async (t) => {
  const { dir, logger, url, done } = await setup(t);
  await new Promise<void>((resolve) => {
    const req = http.get(`${url}/slow`);
    req.on('error', () => resolve());
    setTimeout(() => req.destroy(), 50);
  });
  await done.waitFor(1);
  await logger.close();
  const [line] = readLogLines(dir).filter((l) => l.category === 'Http');
  assert.ok(line, 'aborted request logged');
  assert.equal(line.aborted, true);
  assert.equal(line.level, 'Warning');
  assert.match(String(line.message), /^GET \/slow aborted by the client after/);
  assert.match(String(line.traceId), /^[0-9A-V]{13}:[0-9A-F]{8}$/);
});

test('100 concurrent requests: every line carries its own request\'s trace ID, also after await and in timers', async (t) => {
  const { dir, logger, url, done } = await setup(t);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
  t.after(() => agent.destroy());
  const ids = new Map<string, string>();
  await Promise.all(
    Array.from({ length: 100 }, (_, n) =>
      new Promise<void>((resolve, reject) => {
        http
          .get(`${url}/work?n=${n}`, { agent }, (res) => {
            ids.set(String(n), String(res.headers['x-trace-id']));
            res.resume();
            res.on('end', resolve);
          })
          .on('error', reject);
      }),
    ),
  );
  await done.waitFor(100);
  await logger.close();
  const lines = readLogLines(dir);
  assert.equal(new Set(ids.values()).size, 100, 'IDs are unique');
  const work = lines.filter((l) => l.category === 'Tickets');
  assert.equal(work.length, 300);
  for (const line of work) assert.equal(line.traceId, ids.get(String(line.n)), JSON.stringify(line));
  const requests = lines.filter((l) => l.category === 'Http');
  assert.equal(requests.length, 100);
  assert.deepEqual(new Set(requests.map((l) => l.traceId)), new Set(ids.values()));
  assert.ok(requests.every((l) => l.path === '/work'));
});

test('requestLogger rejects a missing logger; with Http at None it adds nothing', async (t) => {
  assert.throws(() => requestLogger({} as never), /logger: expected a logger from createLogger\(\)/);
  const dir = tempDir(t);
  const logger = createLogger({ Directory: dir, Console: false, LogLevel: { Default: 'Information', Http: 'None' } });
  const app = express();
  app.use(requestLogger({ logger }));
  app.get('/ok', (_req, res) => void res.json({}));
  const { url } = await listen(app, t);
  await (await fetch(`${url}/ok`)).text();
  await logger.close();
  assert.deepEqual(readLogLines(dir), []);
});

test('client is req.ip: X-Forwarded-For counts only when trust proxy trusts the sender', async (t) => {
  const dir = tempDir(t);
  const logger = createLogger({ Directory: dir, Console: false, LogLevel: { Default: 'Information' } });
  const plain = express();
  const done = responsesDone();
  plain.use(requestLogger({ logger }));
  plain.use(done.middleware);
  plain.get('/plain', (_req, res) => void res.json({}));
  const proxied = express();
  proxied.set('trust proxy', 'loopback');
  proxied.use(requestLogger({ logger }));
  proxied.use(done.middleware);
  proxied.get('/proxied', (_req, res) => void res.json({}));
  const a = await listen(plain, t);
  const b = await listen(proxied, t);
  const headers = { 'x-forwarded-for': '203.0.113.7' };
  await (await fetch(`${a.url}/plain`, { headers })).text();
  await (await fetch(`${b.url}/proxied`, { headers })).text();
  await done.waitFor(2);
  await logger.close();
  const clients = Object.fromEntries(readLogLines(dir).map((l) => [l.path, l.client]));
  assert.deepEqual(clients, { '/plain': '127.0.0.1', '/proxied': '203.0.113.7' });
});

test('path is the canonical request path: the origin path of an absolute-form target, no fragment, no query', async (t) => {
  // A recording category logger: each line resolves the wait for it, no sleeping.
  const lines: Record<string, unknown>[] = [];
  let wake: (() => void) | undefined;
  const record = (_message: string, meta?: Readonly<Record<string, unknown>>): void => {
    lines.push({ ...meta });
    wake?.();
  };
  const sink = { category: 'Http', isEnabled: () => true, trace: record, debug: record, info: record, warn: record, error: record, critical: record };
  const app = express();
  app.use(requestLogger({ logger: sink, includeQuery: false }));
  app.get('/api/v2/tickets', (_req, res) => void res.end('ok'));
  const queryApp = express();
  queryApp.use(requestLogger({ logger: sink, includeQuery: true }));
  queryApp.get('/api/v2/tickets', (_req, res) => void res.end('ok'));
  const plain = await listen(app, t);
  const withQuery = await listen(queryApp, t);
  const send = (base: string, path: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const done = new Promise<void>((r) => (wake = r));
      const { hostname, port } = new URL(base);
      http.get({ hostname, port, path, agent: false }, (res) => res.resume().on('end', () => void done.then(resolve))).on('error', reject);
    });
  await send(plain.url, 'http://example.com/api/v2/tickets?token=abc123');
  await send(plain.url, '/api/v2/tickets#frag');
  await send(withQuery.url, 'HTTP://example.com:8080/api/v2/tickets?page=2#frag');
  assert.deepEqual(
    lines.map((l) => l.path),
    ['/api/v2/tickets', '/api/v2/tickets', '/api/v2/tickets?page=2'],
  );
});
