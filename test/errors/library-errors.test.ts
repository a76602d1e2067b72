// Library errors (body-parser, zlib, Express's parameter decoding) get neutral client messages on
// Express 4 and 5; the library's own detail is logged under the same trace ID.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import express5 from 'express';
import express4 from 'express4';
import { errorMapper, notFound } from '../../lib/errors/index.js';
import { BAD_PARAMETER_MESSAGE, DECOMPRESSION_MESSAGE } from '../../lib/errors/map-error.js';
import { listen, recordingSink, request, type Running } from './http-helpers.js';

function buildApp(express: typeof express5, log: ReturnType<typeof recordingSink>) {
  const app = express();
  app.post('/json', express.json(), (_req, res) => res.json({ ok: true }));
  app.post('/form', express.urlencoded({ extended: true }), (_req, res) => res.json({ ok: true }));
  app.post('/text', express.text({ limit: '10b' }), (_req, res) => res.json({ ok: true }));
  app.post('/raw', express.raw({ limit: '10b' }), (_req, res) => res.json({ ok: true }));
  app.get('/items/:id', (_req, res) => res.json({ ok: true }));
  app.use(notFound());
  app.use(errorMapper({ logger: log, environment: 'Production', secrets: ['hunter2-secret'] }));
  return app;
}

function message(reply: { json(): any }): string {
  return reply.json().information[0].message;
}

for (const [version, express] of [
  [5, express5],
  [4, express4 as unknown as typeof express5],
] as const) {
  describe(`library errors on Express ${version}`, () => {
    const log = recordingSink();
    let server: Running;
    before(async () => {
      server = await listen(buildApp(express, log));
    });
    after(() => server.close());

    const logged = (traceId: string) => log.entries.find((e) => e.meta.traceId === traceId);

    test('a body that is not the gzip it claims: neutral 400, zlib detail in the log', async () => {
      const reply = await request(`${server.url}/json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: '{"not":"gzip"}',
      });
      assert.equal(reply.status, 400);
      assert.equal(message(reply), DECOMPRESSION_MESSAGE);
      assert.ok(!reply.text.includes('incorrect header check'));
      const entry = logged(reply.json().traceId);
      assert.equal(entry?.meta.error.message, 'incorrect header check');
      assert.equal(entry?.meta.error.code, 'Z_DATA_ERROR');
    });

    test('a truncated gzip body and a broken brotli body', async () => {
      const truncated = await request(`${server.url}/json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync('{"a":1}').subarray(0, 12),
      });
      assert.equal(truncated.status, 400);
      assert.equal(message(truncated), DECOMPRESSION_MESSAGE);
      const brotli = await request(`${server.url}/json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'br' },
        body: 'not brotli at all',
      });
      // body-parser 2 (Express 5) decodes br and fails with "Decompression failed"; 1.x does not know br.
      if (version === 5) {
        assert.equal(brotli.status, 400);
        assert.equal(message(brotli), DECOMPRESSION_MESSAGE);
        assert.equal(logged(brotli.json().traceId)?.meta.error.message, 'Decompression failed');
      } else {
        assert.equal(brotli.status, 415);
      }
      assert.ok(!brotli.text.includes('Decompression failed'));
    });

    test("Express's \"Failed to decode param '%zz'\" becomes a neutral 400", async () => {
      const reply = await request(`${server.url}/items/%zz-hunter2-secret`);
      assert.equal(reply.status, 400);
      assert.equal(message(reply), BAD_PARAMETER_MESSAGE);
      assert.ok(!reply.text.includes('%zz') && !reply.text.includes('Failed to decode'));
      const entry = logged(reply.json().traceId);
      assert.match(entry?.meta.error.message, /^Failed to decode param/);
      assert.ok(!JSON.stringify(entry).includes('hunter2-secret'), 'a configured secret in the logged detail is masked');
    });

    test('invalid JSON echoing a password: fixed message, the body never logged', async () => {
      const reply = await request(`${server.url}/json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"password":"hunter2"x}',
      });
      assert.equal(reply.status, 400);
      assert.equal(message(reply), 'The request body is not valid JSON');
      const entry = logged(reply.json().traceId);
      assert.equal(entry?.meta.reason, 'entity.parse.failed');
      assert.equal(entry?.meta.error.name, 'SyntaxError');
      assert.ok(!JSON.stringify(log.entries).includes('hunter2"'), JSON.stringify(entry));
    });

    test('too deep urlencoded, too large text and raw, unsupported charset and encoding', async () => {
      const deep = await request(`${server.url}/form`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `a${'[b]'.repeat(40)}=1`,
      });
      assert.equal(deep.status, 400);
      assert.equal(message(deep), 'The request body nests its parameters too deeply');
      for (const path of ['/text', '/raw']) {
        const large = await request(`${server.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': path === '/text' ? 'text/plain' : 'application/octet-stream' },
          body: 'x'.repeat(100),
        });
        assert.equal(large.status, 413, path);
        assert.equal(message(large), 'The request body is too large');
      }
      const charset = await request(`${server.url}/text`, { method: 'POST', headers: { 'content-type': 'text/plain; charset=x-klingon' }, body: 'x' });
      assert.equal(charset.status, 415);
      assert.equal(message(charset), 'The request body charset is not supported; send UTF-8');
      const encoding = await request(`${server.url}/json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'x-unknown' },
        body: '{}',
      });
      assert.equal(encoding.status, 415);
      assert.equal(message(encoding), 'The request body Content-Encoding is not supported; send it uncompressed or gzip/deflate');
    });
  });
}
