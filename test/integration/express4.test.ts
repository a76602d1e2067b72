/**
 * The guard's middleware (before + after) under Express 4 and Express 5, over real HTTP: trace ID,
 * rate limit and 429, sync throw, next(err), 404 and — under 5 — a rejected async handler.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import express5 from 'express';
import express4 from 'express4';
import { createApiGuard, type ApiGuard } from '../../lib/index.js';
import { makeConfigDir, removeDir, request } from './helpers.js';

const PROCESSING = 'An error occurred while processing your request.';

for (const [name, express] of [
  ['Express 4', express4],
  ['Express 5', express5],
] as const) {
  describe(`createApiGuard under ${name}`, () => {
    let dir: string;
    let guard: ApiGuard;
    let server: http.Server;
    let base: string;

    before(async () => {
      dir = makeConfigDir({
        base: {
          RateLimiting: { Rules: [{ Name: 'ok', Endpoint: 'get:/limited', Period: '1m', Limit: 1 }] },
          Logging: { Directory: 'logs', Console: false },
        },
      });
      guard = await createApiGuard({ configDir: dir, environment: 'Development', env: {}, watch: false });
      const app = express();
      app.use(guard.before);
      app.get('/ok', (_req, res) => {
        res.json({ traceId: res.locals.traceId });
      });
      app.get('/limited', (_req, res) => {
        res.json({ admitted: true });
      });
      app.get('/throw', () => {
        throw new Error('sync failure');
      });
      app.get('/next-error', (_req, _res, next) => next(new Error('passed to next')));
      if (name === 'Express 5') {
        app.get('/reject', async () => {
          await Promise.resolve();
          throw new Error('async failure');
        });
      }
      app.use(guard.after);
      server = app.listen(0, '127.0.0.1');
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await guard?.close();
      await guard?.close(); // idempotent
      removeDir(dir);
    });

    test('a trace ID in the ASP.NET format on the response header and in res.locals', async () => {
      const first = await request(`${base}/ok`, { auth: false });
      assert.equal(first.status, 200);
      assert.equal(first.json().traceId, first.headers['x-trace-id']);
      assert.match(String(first.headers['x-trace-id']), /^[0-9A-V]{13}:[0-9A-F]{8}$/);
    });

    test('the rate limiter admits one request, then answers 429 in the envelope', async () => {
      assert.equal((await request(`${base}/limited`, { auth: false })).status, 200);
      const rejected = await request(`${base}/limited`, { auth: false });
      assert.equal(rejected.status, 429);
      assert.ok(Number(rejected.headers['retry-after']) >= 1);
      assert.deepEqual(rejected.json().information, [{ type: 'RateLimit', message: 'API calls quota exceeded! maximum admitted 1 per 1m.' }]);
    });

    test('a thrown error and next(err) become 500 Processing; an unknown route 404', async () => {
      for (const route of ['/throw', '/next-error', ...(name === 'Express 5' ? ['/reject'] : [])]) {
        const reply = await request(`${base}${route}`, { auth: false });
        assert.equal(reply.status, 500, route);
        assert.deepEqual(reply.json().information, [{ type: 'Processing', message: PROCESSING }]);
        assert.equal(reply.json().traceId, reply.headers['x-trace-id']);
      }
      const missing = await request(`${base}/missing`, { auth: false });
      assert.equal(missing.status, 404);
      assert.equal(missing.json().information[0].type, 'NotFound');
    });

    test('guard.config and guard.logger are exposed', () => {
      assert.equal(guard.config.environment, 'Development');
      assert.equal(guard.config.Logging.Directory, path.join(dir, 'logs'));
      assert.equal(typeof guard.logger.forCategory, 'function');
    });
  });
}
