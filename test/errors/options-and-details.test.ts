// Construction-time validation, IncludeDetails gating and the pure mapping/negotiation helpers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import express from 'express';
import createError from 'http-errors';
import { ApiError, errorMapper, OptionsError, mapError, notFound, RateLimitError } from '../../lib/errors/index.js';
import { acceptsProblemExplicitly, toSafeJson } from '../../lib/core/index.js';
import { isSafeClientMessage } from '../../lib/core/index.js';
import { listen, recordingSink, request } from './http-helpers.js';

describe('errorMapper options', () => {
  test('unknown keys throw with a suggestion', () => {
    assert.throws(
      () => errorMapper({ includeDetail: true } as never),
      (err: unknown) =>
        err instanceof OptionsError &&
        err.code === 'ERR_ERRORS_UNKNOWN_OPTION' &&
        err.path === 'includeDetail' &&
        /includeDetail: unknown option\. Did you mean "includeDetails"\?/.test(err.message),
    );
    assert.throws(() => notFound({ format: 'problem' } as never), OptionsError);
  });

  test('mistyped values throw', () => {
    assert.throws(() => errorMapper({ format: 'rfc7807' as never }), /format: expected one of "issuetrak", "problem", got "rfc7807"/);
    assert.throws(() => errorMapper({ format: 'problems' as never }), /Did you mean "problem"\?/);
    assert.throws(() => errorMapper({ includeDetails: 'yes' as never }), /includeDetails: expected true or false, got "yes"/);
    assert.throws(() => errorMapper({ logger: {} as never }), /logger: expected a logger with debug, info, warn and error methods/);
    assert.throws(() => errorMapper(null as never), /expected an options object, got null/);
  });

  test('includeDetails outside Development is ignored with one warning', () => {
    const log = recordingSink();
    errorMapper({ includeDetails: true, environment: 'Production', logger: log });
    assert.equal(log.entries.filter((e) => e.level === 'warn').length, 1);
    const quiet = recordingSink();
    errorMapper({ includeDetails: true, environment: 'development', logger: quiet });
    assert.equal(quiet.entries.length, 0);
  });
});

describe('IncludeDetails bodies', () => {
  async function fetchFailure(environment: string, format: 'issuetrak' | 'problem') {
    const app = express();
    app.get('/boom', () => {
      throw new RangeError('index 7 out of range');
    });
    app.use(errorMapper({ includeDetails: true, environment, format, logger: recordingSink() }));
    const server = await listen(app);
    try {
      return (await request(`${server.url}/boom`)).json();
    } finally {
      await server.close();
    }
  }

  test('Development + issuetrak: extra Exception and StackTrace entries, still two keys', async () => {
    const body = await fetchFailure('Development', 'issuetrak');
    assert.deepEqual(Object.keys(body).sort(), ['information', 'traceId']);
    assert.deepEqual(body.information[0], { type: 'Processing', message: 'An error occurred while processing your request.' });
    assert.deepEqual(body.information[1], { type: 'Exception', message: 'RangeError: index 7 out of range' });
    assert.equal(body.information[2].type, 'StackTrace');
    assert.match(body.information[2].message, /^at /);
  });

  test('Development + problem: exception extension member', async () => {
    const body = await fetchFailure('Development', 'problem');
    assert.equal(body.exception.name, 'RangeError');
    assert.equal(body.exception.message, 'index 7 out of range');
    assert.ok(Array.isArray(body.exception.stack) && body.exception.stack.length > 0);
  });

  test('Production: no details even when asked', async () => {
    const body = await fetchFailure('Production', 'issuetrak');
    assert.equal(body.information.length, 1);
    assert.ok(!JSON.stringify(body).includes('out of range'));
  });
});

describe('mapError', () => {
  test('maps each error class', () => {
    assert.deepEqual(mapError(new ApiError('Name is required', { status: 422 })), {
      status: 422, type: 'Validation', message: 'Name is required', headers: {}, unexpected: false, replaced: false,
    });
    const limited = mapError(new RateLimitError({ rule: 'burst', limit: 20, period: '1s', retryAfter: 3, status: 503 }));
    assert.equal(limited.status, 503);
    assert.equal(limited.type, 'RateLimit');
    assert.equal(limited.headers['Retry-After'], '3');
    assert.equal(mapError(createError(401)).type, 'Authentication');
    assert.equal(mapError(createError(403)).type, 'Authorization');
    assert.equal(mapError(createError(404)).message, 'Not Found');
    assert.equal(mapError(createError(400, 'hidden', { expose: false })).message, 'Bad Request');
    assert.equal(mapError({ statusCode: 429, message: 'slow down', retryAfter: 2.5 }).headers['Retry-After'], '3');
    assert.equal(mapError(Object.assign(new Error('x'), { status: 200 })).status, 500);
    assert.equal(mapError(null).status, 500);
    assert.equal(mapError(undefined).message, 'An error occurred while processing your request.');
  });

  test('an ApiError from another copy of the package keeps its type by shape', () => {
    const foreign = Object.assign(new Error('Quota'), { status: 429, type: 'RateLimit', expose: true, headers: { 'Retry-After': '4' } });
    assert.deepEqual(mapError(foreign), { status: 429, type: 'RateLimit', message: 'Quota', headers: { 'Retry-After': '4' }, unexpected: false, replaced: false });
  });
});

describe('helpers', () => {
  test('acceptsProblemExplicitly', () => {
    assert.equal(acceptsProblemExplicitly('application/problem+json'), true);
    assert.equal(acceptsProblemExplicitly('Application/Problem+JSON; q=0.5'), true);
    assert.equal(acceptsProblemExplicitly('application/problem+json;q=0'), false);
    assert.equal(acceptsProblemExplicitly('*/*'), false);
    assert.equal(acceptsProblemExplicitly('application/*'), false);
    assert.equal(acceptsProblemExplicitly(undefined), false);
  });

  test('isSafeClientMessage rejects paths, stacks, control characters and long text', () => {
    assert.equal(isSafeClientMessage('Issue 12 was changed by someone else'), true);
    assert.equal(isSafeClientMessage('Use https:// to call this API.'), true);
    assert.equal(isSafeClientMessage('ENOENT: open /etc/app/secrets.json'), false);
    assert.equal(isSafeClientMessage('failed C:\\inetpub\\wwwroot\\web.config'), false);
    assert.equal(isSafeClientMessage('x\n    at handler (file.js:1:1)'), false);
    assert.equal(isSafeClientMessage('x'.repeat(301)), false);
    assert.equal(isSafeClientMessage(42), false);
  });

  test('toSafeJson escapes markup but keeps the value', () => {
    const text = toSafeJson({ m: '<b>&\u2028' });
    assert.ok(!/[<>&\u2028]/.test(text));
    assert.deepEqual(JSON.parse(text), { m: '<b>&\u2028' });
  });
});
