/**
 * createLogger() + requestLogger() used alone, as docs/logging.md shows them, under Express 4 and 5:
 * no traceId(), no error mapper. One line per request, the query string dropped, a 500 from
 * Express's own final handler logged at Error.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import express5 from 'express';
import express4 from 'express4';
import { createLogger, requestLogger } from '../../lib/index.js';
import { listen, readLogLines, responsesDone, tempDir } from './helpers.js';

for (const [name, express] of [
  ['Express 4', express4 as unknown as typeof express5],
  ['Express 5', express5],
] as const) {
  describe(`requestLogger() alone under ${name}`, () => {
    test('one line per request with method, path without query, status and level', async (t) => {
      const dir = tempDir(t);
      const logger = createLogger({ Directory: dir, Console: false });
      const app = express();
      app.set('env', 'test'); // keep Express's final handler from printing the 500 to stderr
      app.use(requestLogger({ logger }));
      const done = responsesDone();
      app.use(done.middleware);
      app.get('/ok', (_req, res) => {
        res.json({ ok: true });
      });
      app.get('/boom', () => {
        throw new Error('handler failed');
      });
      const { url } = await listen(app, t);
      for (const path of ['/ok?token=hunter2', '/missing', '/boom']) await (await fetch(url + path)).text();
      await done.waitFor(3); // the client can have the body before the server's 'close' runs
      await logger.close();

      const lines = readLogLines(dir).filter((line) => line.category === 'Http');
      assert.deepEqual(
        lines.map((line) => [line.level, line.method, line.path, line.status]),
        [
          ['Information', 'GET', '/ok', 200],
          ['Warning', 'GET', '/missing', 404],
          ['Error', 'GET', '/boom', 500],
        ],
      );
      for (const line of lines) {
        assert.equal(typeof line.durationMs, 'number');
        assert.equal(line.client, '127.0.0.1');
        assert.ok(!('traceId' in line), 'no traceId() mounted, so no traceId member');
      }
      assert.ok(!JSON.stringify(lines).includes('hunter2'), 'the query string is dropped');
    });
  });
}
