/**
 * createApiGuard with what config files cannot say: a client-key function, a 429 handler and the
 * host's own logger, beside the files; and `guard.limiter` is the running limiter.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import express from 'express';
import { createApiGuard, type LogSink } from '../../lib/index.js';
import { listen } from '../errors/http-helpers.js';

test('clientKey, onRateLimited and logger from code; guard.limiter exposed', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'guard-code-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    path.join(dir, 'appsettings.json'),
    JSON.stringify({
      RateLimiting: { ClientKey: 'ip', Rules: [{ Name: 'one', Endpoint: '*', Period: '1m', Limit: 1 }] },
      Https: { Required: false },
      SessionSigningKey: 'signing-key-that-must-not-leak',
    }),
  );
  const lines: { level: string; message: string; meta: Record<string, unknown> }[] = [];
  const record = (level: string) => (message: string, meta?: Readonly<Record<string, unknown>>) => void lines.push({ level, message, meta: { ...meta } });
  const sink: LogSink = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };

  const guard = await createApiGuard({
    configDir: dir,
    env: {},
    watch: false,
    clientKey: (req) => String(req.headers['x-user'] ?? 'anonymous'),
    onRateLimited: (_req, res, _next, error) => void res.status(error.status).json({ slowDown: true }),
    logger: sink,
  });
  t.after(() => guard.close());
  assert.equal(typeof guard.limiter.update, 'function');

  const app = express();
  app.use(guard.before);
  app.get('/x', (_req, res) => {
    guard.logger.forCategory('App').info('handler ran', { token: 'signing-key-that-must-not-leak' });
    res.json({ ok: true });
  });
  app.use(guard.after);
  const server = await listen(app);
  t.after(() => server.close());
  const url = `${server.url}/x`;
  const get = (user: string) => fetch(url, { headers: { 'x-user': user } });

  assert.equal((await get('alice')).status, 200);
  assert.equal((await get('bob')).status, 200, 'bob has his own counter: the key function decides');
  const refused = await get('alice');
  assert.equal(refused.status, 429);
  assert.deepEqual(await refused.json(), { slowDown: true });
  assert.ok(refused.headers.get('retry-after'), 'the headers were set before the handler ran');

  guard.limiter.update({ rules: [{ name: 'one', endpoint: '*', period: '1m', limit: 5 }] });
  assert.equal((await get('alice')).status, 200, 'update() on guard.limiter applies at once');

  // The host's logger got the guard's lines (the request log among them), with category and trace ID, secrets masked.
  await new Promise((resolve) => setImmediate(resolve));
  const request = lines.find((line) => line.meta.category === 'Http' && line.meta.status === 429);
  assert.ok(request, JSON.stringify(lines, null, 1));
  assert.equal(typeof request.meta.traceId, 'string');
  const handler = lines.find((line) => line.message === 'handler ran');
  assert.equal(handler?.meta.token, '***');
  assert.ok(!JSON.stringify(lines).includes('signing-key-that-must-not-leak'));
  assert.deepEqual(readdirSync(dir), ['appsettings.json'], 'no log folder when the host logs');
});
