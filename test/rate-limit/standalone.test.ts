/**
 * rateLimit() used alone, as a drop-in (`app.use(rateLimit())` and nothing else), under Express 4
 * and 5: the refusal is the JSON envelope with the trace ID, Retry-After and RateLimit headers,
 * and nothing reaches Express's final handler (no HTML page, no stack on stderr).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import express5 from 'express';
import express4 from 'express4';
import { rateLimit } from '../../lib/index.js';
import { listen } from '../errors/http-helpers.js';

for (const [name, express] of [
  ['Express 4', express4 as unknown as typeof express5],
  ['Express 5', express5],
] as const) {
  describe(`rateLimit() alone under ${name}`, () => {
    test('429 envelope with trace ID and headers; nothing printed; problem+json on request', async (t) => {
      const printed = t.mock.method(console, 'error', () => undefined);
      const written = t.mock.method(process.stderr, 'write', () => true);
      const app = express();
      app.use(rateLimit({ rules: [{ name: 'burst', endpoint: '*', period: '1m', limit: 1 }] }));
      app.get('/x', (_req, res) => {
        res.json({ ok: true });
      });
      const server = await listen(app);
      t.after(() => server.close());
      const url = `${server.url}/x`;

      assert.equal((await fetch(url)).status, 200);
      const refused = await fetch(url);
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.ok(Number(refused.headers.get('retry-after')) >= 1, 'Retry-After in whole seconds');
      assert.equal(refused.headers.get('ratelimit'), `"burst";r=0;t=${refused.headers.get('retry-after')}`);
      const body = (await refused.json()) as { traceId: string; information: { type: string; message: string }[] };
      assert.deepEqual(Object.keys(body), ['traceId', 'information']);
      assert.match(body.traceId, /^[0-9a-f]{32}$/);
      assert.equal(body.information[0]?.type, 'RateLimit');
      assert.match(body.information[0]?.message ?? '', /quota exceeded/);

      const problem = await fetch(url, { headers: { accept: 'application/problem+json' } });
      assert.equal(problem.status, 429);
      assert.equal(problem.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      assert.equal(((await problem.json()) as { title: string }).title, 'Too Many Requests');
      assert.equal(printed.mock.callCount(), 0, 'nothing reached Express’s final handler');
      assert.equal(written.mock.callCount(), 0, 'nothing written to stderr');
    });

    test('with a logger, one line per refusal', async (t) => {
      const lines: string[] = [];
      const log = (message: string) => void lines.push(message);
      const app = express();
      app.use(rateLimit({ rules: [{ name: 'burst', endpoint: '*', period: '1m', limit: 1 }], logger: { debug: log, info: log, warn: log, error: log } }));
      app.get('/x', (_req, res) => {
        res.json({ ok: true });
      });
      const server = await listen(app);
      t.after(() => server.close());
      const url = `${server.url}/x`;
      for (let i = 0; i < 3; i++) await fetch(url);
      assert.equal(lines.length, 2, lines.join('\n'));
      assert.match(lines[0] ?? '', /refused GET \/x: rule "burst" \(1 per 1m\)/);
    });
  });
}
