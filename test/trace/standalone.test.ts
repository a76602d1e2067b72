/**
 * traceId() used alone, as docs/tracing.md shows it, under Express 4 and 5: no error mapper, no
 * logger. The ID must still reach the header of Express's own 404 and 500, and getTraceId() must
 * work after an await.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import express5 from 'express';
import express4 from 'express4';
import { getTraceId, traceId } from '../../lib/index.js';

const ASPNET = /^[0-9A-V]{13}:[0-9A-F]{8}$/;

for (const [name, express] of [
  ['Express 4', express4 as unknown as typeof express5],
  ['Express 5', express5],
] as const) {
  describe(`traceId() alone under ${name}`, () => {
    test('header on 200, on Express’s own 404 and 500; getTraceId() after await', async (t) => {
      const app = express();
      app.set('env', 'test'); // keep Express's final handler from printing the 500 to stderr
      app.use(traceId());
      app.get('/ok', async (_req, res) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        res.json({ local: res.locals.traceId, context: getTraceId() });
      });
      app.get('/boom', () => {
        throw new Error('handler failed');
      });
      const server = app.listen(0, '127.0.0.1');
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      t.after(() => {
        server.closeAllConnections();
        server.close();
      });
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

      const ok = await fetch(`${base}/ok`);
      const id = ok.headers.get('x-trace-id') ?? '';
      assert.match(id, ASPNET);
      assert.deepEqual(await ok.json(), { local: id, context: id });

      for (const [path, status] of [['/missing', 404], ['/boom', 500]] as const) {
        const reply = await fetch(base + path);
        await reply.text();
        assert.equal(reply.status, status, path);
        assert.match(reply.headers.get('x-trace-id') ?? '', ASPNET, `${path} carries the trace ID`);
      }
      assert.equal(getTraceId(), undefined, 'no ID outside a request');
    });
  });
}
