/**
 * Shutdown keeps the promise: guard.close() lets requests in flight finish and write their log
 * lines, and every request reaching a closed guard (or a closed rateLimit()) is refused with 503
 * and Retry-After in the error envelope — never admitted without limits.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import express from 'express';
import { createApiGuard } from '../../lib/guard/index.js';
import { rateLimit } from '../../lib/rate-limit/index.js';
import { listen } from '../errors/http-helpers.js';

interface LogLine {
  message: string;
  category?: string;
  status?: number;
  path?: string;
}

function logLines(dir: string): LogLine[] {
  const files = readdirSync(dir).filter((name) => name.endsWith('.log'));
  return files.flatMap((name) =>
    readFileSync(path.join(dir, name), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LogLine),
  );
}

test('guard.close(): 20 requests in flight finish and are logged; afterwards requests get 503 + Retry-After, none admitted', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'guard-shutdown-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    path.join(dir, 'appsettings.json'),
    JSON.stringify({
      RateLimiting: { Rules: [{ Name: 'minute', Endpoint: '*', Period: '1m', Limit: 300 }] },
      Logging: { Directory: 'logs', Console: false },
      Https: { Required: false },
    }),
  );
  const guard = await createApiGuard({ configDir: dir, environment: 'Test', env: {}, watch: false });
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let arrived = 0;
  const app = express();
  app.use(guard.before);
  app.get('/slow', (_req, res) => {
    arrived++;
    void gate.then(() => res.json({ ok: true }));
  });
  app.get('/fast', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(guard.after);
  const server = await listen(app);
  t.after(() => server.close());

  const inFlight = Array.from({ length: 20 }, () => fetch(`${server.url}/slow`).then((r) => r.status));
  while (arrived < 20) await new Promise((resolve) => setTimeout(resolve, 10));
  const closing = guard.close();
  const during = await fetch(`${server.url}/fast`);
  assert.equal(during.status, 503, 'a request arriving while the guard closes is refused');
  assert.equal(during.headers.get('retry-after'), '1');
  const body = (await during.json()) as { traceId: string; information: { type: string; message: string }[] };
  assert.equal(body.information[0]?.type, 'Unavailable', 'in the error envelope');
  assert.match(body.traceId, /^[0-9A-Z]{13}:[0-9A-F]{8}$/);
  release();
  assert.deepEqual([...new Set(await Promise.all(inFlight))], [200], 'requests in flight finished');
  await closing;

  const lines = logLines(path.join(dir, 'logs'));
  assert.equal(lines.filter((l) => l.category === 'Http' && l.path === '/slow' && l.status === 200).length, 20, 'each in-flight request wrote its log line');
  assert.equal(lines.filter((l) => l.category === 'Http' && l.path === '/fast' && l.status === 503).length, 1, 'the refused one was logged too');

  const after = await Promise.all(Array.from({ length: 400 }, () => fetch(`${server.url}/fast`).then(async (r) => [r.status, r.headers.get('retry-after')] as const)));
  assert.deepEqual([...new Set(after.map(([status]) => status))], [503], '400 requests after close(): none admitted');
  assert.ok(after.every(([, retryAfter]) => retryAfter === '1'));
});

test('rateLimit().close(): a request reaching the closed limiter is refused with 503 + Retry-After', async (t) => {
  const limiter = rateLimit({ rules: [{ name: 'minute', endpoint: '*', period: '1m', limit: 2 }] });
  const app = express();
  app.use(limiter);
  app.get('/', (_req, res) => {
    res.json({ ok: true });
  });
  const server = await listen(app);
  t.after(() => server.close());
  assert.equal((await fetch(server.url)).status, 200);
  await limiter.close();
  const refused = await fetch(server.url);
  assert.equal(refused.status, 503);
  assert.equal(refused.headers.get('retry-after'), '1');
  // Used alone, the limiter answers with its own envelope.
  const body = (await refused.json()) as { information: { type: string }[] };
  assert.equal(body.information[0]?.type, 'Unavailable');
});
