/**
 * requireHttps() without errorMapper: Express's own error handler renders the 403. In Development it
 * prints `err.stack`, so the refusal must carry no stack frames (no file paths reach the client).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { requireHttps } from '../../lib/https/index.js';

test('a refused plain-HTTP request shows no stack frames even in Development', async (t) => {
  const app = express();
  app.set('env', 'development');
  app.use(requireHttps());
  app.get('/x', (_req, res) => void res.send('ok'));
  const server = app.listen(0, '127.0.0.1');
  t.after(() => server.close());
  await new Promise((ok) => server.once('listening', ok));
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}/x`);
  const body = await response.text();
  assert.equal(response.status, 403);
  assert.match(body, /HTTPS is required/);
  assert.doesNotMatch(body, /\bat\s|\/lib\/|\.ts:\d+/, 'no stack frame or path in the body');
});
