/**
 * rateLimit() used alone, without errorMapper(), in a production app under Express 4 and 5 (the case
 * docs/rate-limiting.md "Refusals" describes): Express's own final handler answers with the
 * configured status, the limiter's headers, and a body without a stack trace or internals.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import express5 from 'express';
import express4 from 'express4';
import { rateLimit } from '../../lib/index.js';

for (const [name, express] of [
  ['Express 4', express4 as unknown as typeof express5],
  ['Express 5', express5],
] as const) {
  describe(`rateLimit() alone under ${name}`, () => {
    test('env production: 429 with Retry-After and RateLimit headers, body without internals', async (t) => {
      // Express prints every error that reaches its final handler unless env is 'test'.
      const printed = t.mock.method(console, 'error', () => undefined);
      const app = express();
      app.set('env', 'production');
      app.use(rateLimit({ rules: [{ name: 'burst', endpoint: '*', period: '1m', limit: 1 }] }));
      app.get('/x', (_req, res) => {
        res.json({ ok: true });
      });
      const server = app.listen(0, '127.0.0.1');
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      t.after(() => {
        server.closeAllConnections();
        server.close();
      });
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;

      assert.equal((await fetch(url)).status, 200);
      const refused = await fetch(url);
      const body = await refused.text();
      assert.equal(refused.status, 429);
      assert.ok(Number(refused.headers.get('retry-after')) >= 1, 'Retry-After in whole seconds');
      assert.equal(refused.headers.get('ratelimit'), `"burst";r=0;t=${refused.headers.get('retry-after')}`);
      assert.match(body, /Too Many Requests/);
      for (const leak of ['RateLimitError', 'quota', ' at ', 'node_modules', '/lib/']) {
        assert.ok(!body.includes(leak), `body leaks ${JSON.stringify(leak)}: ${body}`);
      }
      assert.ok(printed.mock.callCount() >= 1, 'the refusal reached Express’s final handler');
    });
  });
}
