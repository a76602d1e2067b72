/**
 * requireHttps() alone (no errorMapper): it answers its own 403 envelope, so Express's final handler
 * (an HTML page, and in Development a stack) is never reached, and no file path reaches the client.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { requireHttps } from '../../lib/https/index.js';

test('a refused plain-HTTP request gets the JSON envelope, even in Development', async (t) => {
  const printed = t.mock.method(console, 'error', () => undefined);
  const app = express();
  app.set('env', 'development');
  app.use(requireHttps());
  app.get('/x', (_req, res) => void res.send('ok'));
  const server = app.listen(0, '127.0.0.1');
  t.after(() => server.close());
  await new Promise((ok) => server.once('listening', ok));
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}/x`);
  assert.equal(response.status, 403);
  assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
  const body = (await response.json()) as { traceId: string; information: { type: string; message: string }[] };
  assert.deepEqual(body.information, [{ type: 'Security', message: 'HTTPS is required. Use https:// to call this API.' }]);
  assert.doesNotMatch(JSON.stringify(body), /\bat\s|\/lib\/|\.ts:\d+/, 'no stack frame or path in the body');
  assert.equal(printed.mock.callCount(), 0, 'Express’s final handler was not reached');
});
