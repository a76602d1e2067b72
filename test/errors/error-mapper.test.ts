// errorMapper + notFound over real HTTP, under Express 5 and Express 4, in both envelope formats.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import express5 from 'express';
import express4 from 'express4';
import createError from 'http-errors';
import { ApiError, errorMapper, notFound, RateLimitError, type ErrorMapperOptions } from '../../lib/errors/index.js';
import { runWithContext } from '../../lib/core/index.js';
import { listen, recordingSink, request, type Running } from './http-helpers.js';

const SECRET_MESSAGE = 'connect failed for Password=hunter2 at /srv/app/lib/db.ts:42';

function buildApp(express: typeof express5, version: 4 | 5, options: ErrorMapperOptions) {
  const app = express();
  app.get('/preset-trace', (_req, res, next) => {
    res.locals.traceId = '0HMGDP8E63BDF:00000004';
    next(new ApiError('Name is required', { status: 400, type: 'Validation' }));
  });
  app.get('/context-trace', (_req, _res, next) => {
    runWithContext({ traceId: 'ctx-trace-1' }, () => next(new Error('boom')));
  });
  app.post('/json', express.json(), (req, res) => {
    res.json({ ok: true, got: req.body });
  });
  app.post('/small', express.json({ limit: '1kb' }), (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/throws', () => {
    throw new TypeError(SECRET_MESSAGE);
  });
  if (version === 5) {
    app.get('/rejects', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error(SECRET_MESSAGE);
    });
  } else {
    app.get('/rejects', (_req, _res, next) => {
      Promise.reject(new Error(SECRET_MESSAGE)).catch(next);
    });
  }
  app.get('/limited', (_req, res, next) => {
    res.setHeader('RateLimit-Policy', '"writes";q=5;w=1');
    next(new RateLimitError({ rule: 'writes', limit: 5, period: '1s', retryAfter: 0.2 }));
  });
  app.get('/unavailable', (_req, _res, next) => {
    next(new ApiError('The rate-limit store is unavailable; try again shortly.', { status: 503, type: 'Unavailable', headers: { 'Retry-After': '5' } }));
  });
  app.get('/http-error', (_req, _res, next) => next(createError(409, 'Issue 12 was changed by someone else')));
  app.get('/http-error-leaky', (_req, _res, next) => next(createError(400, 'ENOENT: no such file /srv/app/data/issues.json')));
  app.get('/http-error-hidden', (_req, _res, next) => next(createError(502, 'upstream 10.0.0.7 refused')));
  app.get('/thrown-string', () => {
    throw 'plain string with Password=hunter2';
  });
  app.get('/stale-headers', (_req, res) => {
    res.setHeader('Content-Type', 'text/html');
    res.setHeader('ETag', '"abc"');
    throw new Error('after headers were set');
  });
  app.get('/partial', (_req, res, next) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('{"values":[');
    setImmediate(() => next(new Error('stream broke')));
  });
  app.get('/finished', (_req, res, next) => {
    res.json({ ok: true });
    next(new Error('late error after the response'));
  });
  app.use(notFound());
  app.use(errorMapper(options));
  return app;
}

const ISSUETRAK_KEYS = ['information', 'traceId'];
const PROBLEM_KEYS = ['detail', 'instance', 'status', 'title', 'traceId', 'type'];

function assertIssuetrak(reply: { headers: Record<string, unknown>; json(): any }, type: string, message: string) {
  assert.equal(reply.headers['content-type'], 'application/json; charset=utf-8');
  const body = reply.json();
  assert.deepEqual(Object.keys(body).sort(), ISSUETRAK_KEYS);
  assert.equal(typeof body.traceId, 'string');
  assert.ok(body.traceId.length > 0);
  assert.deepEqual(body.information, [{ type, message }]);
  return body;
}

function assertNoLeak(text: string) {
  for (const leak of ['hunter2', '/srv/', 'db.ts', 'stack', 'TypeError', 'at ', 'node:internal', 'upstream']) {
    assert.ok(!text.includes(leak), `body leaks ${JSON.stringify(leak)}: ${text}`);
  }
}

for (const [version, express] of [
  [5, express5],
  [4, express4 as unknown as typeof express5],
] as const) {
  describe(`errorMapper on Express ${version}`, () => {
    const log = recordingSink();
    let issuetrak: Running;
    let problem: Running;
    before(async () => {
      issuetrak = await listen(buildApp(express, version, { logger: log, environment: 'Production' }));
      problem = await listen(buildApp(express, version, { format: 'problem', logger: recordingSink(), environment: 'Production' }));
    });
    after(async () => {
      await issuetrak.close();
      await problem.close();
    });

    test('404 for an unmatched route, path without query', async () => {
      const reply = await request(`${issuetrak.url}/api/v2/x?apiKey=abc`);
      assert.equal(reply.status, 404);
      assertIssuetrak(reply, 'NotFound', 'No route matches GET /api/v2/x');
      assert.ok(!reply.text.includes('abc'));
      assert.equal(reply.headers['cache-control'], 'no-store');
    });

    test('404 names the canonical path: origin path of an absolute-form target, no fragment or query', async () => {
      for (const path of ['http://example.com/api/v2/x?apiKey=abc', '/api/v2/x#/health']) {
        const reply = await request(issuetrak.url, { path });
        assert.equal(reply.status, 404, path);
        assertIssuetrak(reply, 'NotFound', 'No route matches GET /api/v2/x');
      }
      const reply = await request(problem.url, { path: 'http://example.com/api/v2/x#f' });
      assert.equal(reply.json().instance, '/api/v2/x');
    });

    test('404 with a hostile path is escaped and capped', async () => {
      const hostile = `/api/<script>alert("x")</script>${'A'.repeat(5000)}`;
      const reply = await request(issuetrak.url, { path: hostile });
      assert.equal(reply.status, 404);
      assert.ok(!reply.text.includes('<script>'), 'angle brackets must be \\u-escaped');
      assert.ok(reply.text.includes('\\u003cscript\\u003e'));
      const message: string = reply.json().information[0].message;
      assert.ok(message.startsWith('No route matches GET /api/<script>alert("x")</script>AAA'));
      assert.ok(message.length < 260, `message length ${message.length}`);
      assert.ok(message.endsWith('…'));
    });

    test('400 for malformed JSON, no echo of the body or parser message', async () => {
      const reply = await request(`${issuetrak.url}/json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"name": "Password=hunter2", ',
      });
      assert.equal(reply.status, 400);
      assertIssuetrak(reply, 'Validation', 'The request body is not valid JSON');
      assertNoLeak(reply.text);
      const entry = log.entries.find((e) => e.meta.path === '/json' && e.meta.status === 400);
      assert.equal(entry?.level, 'info');
      assert.equal(entry?.meta.reason, 'entity.parse.failed');
      assert.ok(!JSON.stringify(log.entries).includes('hunter2'), 'the raw body must not be logged');
    });

    test('413 for a body over the limit', async () => {
      const reply = await request(`${issuetrak.url}/small`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ note: 'x'.repeat(2048) }),
      });
      assert.equal(reply.status, 413);
      assertIssuetrak(reply, 'Validation', 'The request body is too large');
    });

    test('415 for an unsupported charset and content encoding', async () => {
      const charset = await request(`${issuetrak.url}/json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=latin-9' },
        body: '{}',
      });
      assert.equal(charset.status, 415);
      assertIssuetrak(charset, 'Validation', 'The request body charset is not supported; send UTF-8');
      const encoding = await request(`${issuetrak.url}/json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'x-unknown' },
        body: '{}',
      });
      assert.equal(encoding.status, 415);
      assert.equal(encoding.json().information[0].type, 'Validation');
    });

    test('429 from RateLimitError keeps Retry-After and the limiter headers', async () => {
      const reply = await request(`${issuetrak.url}/limited`);
      assert.equal(reply.status, 429);
      assertIssuetrak(reply, 'RateLimit', 'API calls quota exceeded! maximum admitted 5 per 1s.');
      assert.equal(reply.headers['retry-after'], '1');
      assert.equal(reply.headers['ratelimit-policy'], '"writes";q=5;w=1');
      // Refusals are logged at Debug: the request logger's Warning line already records them.
      const entry = log.entries.find((e) => e.meta.path === '/limited' && e.meta.status === 429);
      assert.equal(entry?.level, 'debug');
      assert.equal(entry?.meta.rule, 'writes');
      assert.equal(entry?.meta.traceId, reply.json().traceId);
    });

    test('500 from a throwing handler: generic message, full error logged once with the trace ID', async () => {
      const before = log.entries.length;
      const reply = await request(`${issuetrak.url}/throws`);
      assert.equal(reply.status, 500);
      const body = assertIssuetrak(reply, 'Processing', 'An error occurred while processing your request.');
      assertNoLeak(reply.text);
      const errors = log.entries.slice(before).filter((e) => e.level === 'error');
      assert.equal(errors.length, 1);
      assert.equal(errors[0]!.meta.traceId, body.traceId);
      // The full message reaches the log, with the value after `Password=` masked by the key rules.
      assert.equal(errors[0]!.meta.error.message, SECRET_MESSAGE.replace('hunter2', '***'));
      assert.match(errors[0]!.meta.error.stack, /TypeError/);
      assert.ok(!('headers' in errors[0]!.meta), 'request headers are never logged');
    });

    test('500 from a rejected promise', async () => {
      const reply = await request(`${issuetrak.url}/rejects`);
      assert.equal(reply.status, 500);
      assertIssuetrak(reply, 'Processing', 'An error occurred while processing your request.');
      assertNoLeak(reply.text);
    });

    test('500 for a thrown non-Error value', async () => {
      const reply = await request(`${issuetrak.url}/thrown-string`);
      assert.equal(reply.status, 500);
      assertNoLeak(reply.text);
    });

    test('headers the failed handler set for its own body are dropped', async () => {
      const reply = await request(`${issuetrak.url}/stale-headers`);
      assert.equal(reply.status, 500);
      assert.equal(reply.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(reply.headers.etag, undefined);
    });

    test('ApiError 5xx keeps its status, message and headers', async () => {
      const reply = await request(`${issuetrak.url}/unavailable`);
      assert.equal(reply.status, 503);
      assertIssuetrak(reply, 'Unavailable', 'The rate-limit store is unavailable; try again shortly.');
      assert.equal(reply.headers['retry-after'], '5');
    });

    test('http-errors: safe 4xx message shown, leaky one replaced, 5xx message hidden', async () => {
      assertIssuetrak(await request(`${issuetrak.url}/http-error`), 'Validation', 'Issue 12 was changed by someone else');
      const leaky = await request(`${issuetrak.url}/http-error-leaky`);
      assert.equal(leaky.status, 400);
      assertIssuetrak(leaky, 'Validation', 'Bad Request');
      const hidden = await request(`${issuetrak.url}/http-error-hidden`);
      assert.equal(hidden.status, 502);
      assertIssuetrak(hidden, 'Processing', 'An error occurred while processing your request.');
      assertNoLeak(hidden.text);
    });

    test('trace ID comes from res.locals, then the async context', async () => {
      const preset = await request(`${issuetrak.url}/preset-trace`);
      assert.equal(preset.json().traceId, '0HMGDP8E63BDF:00000004');
      const context = await request(`${issuetrak.url}/context-trace`);
      assert.equal(context.json().traceId, 'ctx-trace-1');
      const generated = await request(`${issuetrak.url}/throws`);
      assert.match(generated.json().traceId, /^[0-9a-f]{32}$/);
    });

    test('headers already sent: connection closed, no second response, logged once, server survives', async () => {
      const before = log.entries.length;
      const reply = await request(`${issuetrak.url}/partial`);
      assert.equal(reply.status, 200);
      assert.equal(reply.aborted, true);
      assert.equal(reply.text, '{"values":[');
      const errors = log.entries.slice(before).filter((e) => e.level === 'error');
      assert.equal(errors.length, 1);
      assert.equal(errors[0]!.meta.error.message, 'stream broke');
      assert.ok(typeof errors[0]!.meta.traceId === 'string');
      const next = await request(`${issuetrak.url}/api/v2/after`);
      assert.equal(next.status, 404);
    });

    test('error after a finished response is logged, the response stays intact', async () => {
      const reply = await request(`${issuetrak.url}/finished`);
      assert.equal(reply.status, 200);
      assert.equal(reply.aborted, false);
      assert.deepEqual(reply.json(), { ok: true });
    });

    test('problem format: RFC 9457 members, about:blank, instance without query', async () => {
      const reply = await request(`${problem.url}/api/v2/x?token=abc`);
      assert.equal(reply.status, 404);
      assert.equal(reply.headers['content-type'], 'application/problem+json; charset=utf-8');
      const body = reply.json();
      assert.deepEqual(Object.keys(body).sort(), PROBLEM_KEYS);
      assert.equal(body.type, 'about:blank');
      assert.equal(body.title, 'Not Found');
      assert.equal(body.status, 404);
      assert.equal(body.detail, 'No route matches GET /api/v2/x');
      assert.equal(body.instance, '/api/v2/x');
      const failed = await request(`${problem.url}/throws`);
      assert.equal(failed.json().detail, 'An error occurred while processing your request.');
      assertNoLeak(failed.text);
      const limited = await request(`${problem.url}/limited`);
      assert.equal(limited.json().title, 'Too Many Requests');
      assert.equal(limited.headers['retry-after'], '1');
    });

    test('Accept: application/problem+json switches format; wildcards and q=0 do not', async () => {
      const explicit = await request(`${issuetrak.url}/api/v2/x`, { headers: { accept: 'application/json, application/problem+json' } });
      assert.equal(explicit.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(explicit.json().status, 404);
      const wildcard = await request(`${issuetrak.url}/api/v2/x`, { headers: { accept: '*/*' } });
      assert.equal(wildcard.headers['content-type'], 'application/json; charset=utf-8');
      const refused = await request(`${issuetrak.url}/api/v2/x`, { headers: { accept: 'application/problem+json;q=0, application/json' } });
      assert.deepEqual(Object.keys(refused.json()).sort(), ISSUETRAK_KEYS);
      const configuredProblem = await request(`${problem.url}/api/v2/x`, { headers: { accept: 'application/json' } });
      assert.equal(configuredProblem.headers['content-type'], 'application/problem+json; charset=utf-8');
    });

    test('HEAD gets the status and headers without a body', async () => {
      const reply = await request(`${issuetrak.url}/nothing`, { method: 'HEAD' });
      assert.equal(reply.status, 404);
      assert.equal(reply.text, '');
    });
  });
}
