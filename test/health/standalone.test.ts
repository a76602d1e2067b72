/** health() used alone, with no options, under Express 4 and 5: a JSON report, 200, never cached. */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import express5 from 'express';
import express4 from 'express4';
import { health } from '../../lib/health/index.js';

for (const [name, express] of [
  ['Express 4', express4 as unknown as typeof express5],
  ['Express 5', express5],
] as const) {
  describe(`health() alone under ${name}`, () => {
    test('200 Healthy with every check Skipped, Cache-Control no-store', async (t) => {
      const app = express();
      app.get('/health', health());
      const server = app.listen(0, '127.0.0.1');
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      t.after(() => {
        server.closeAllConnections();
        server.close();
      });
      const reply = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/health`);
      assert.equal(reply.status, 200);
      assert.match(reply.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(reply.headers.get('cache-control'), 'no-store');
      const body = (await reply.json()) as { status: string; checks: Record<string, { status: string; required: boolean }> };
      assert.equal(body.status, 'Healthy');
      assert.deepEqual(Object.keys(body.checks).sort(), ['config', 'sql', 'store']);
      for (const check of Object.values(body.checks)) assert.deepEqual([check.status, check.required], ['Skipped', false]);
    });
  });
}
