/**
 * skip(req) and the refusal message (option `message`, config RateLimiting.QuotaExceededMessage):
 * skipped requests are neither counted nor given headers; the message, with its placeholders filled
 * in, is what the client reads inside the envelope.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerRefusal } from '../../lib/core/index.js';
import { OptionsError, rateLimit, rateLimitOptionsFromConfig } from '../../lib/rate-limit/index.js';
import { appsClosedAfter, rateLimitingFrom, send, statuses } from './helpers.js';

const app = appsClosedAfter();

const rules = [{ name: 'burst', endpoint: '*', period: '1m', limit: 1 }];

describe('skip(req)', () => {
  it('a skipped request is not counted and gets no headers; the others are limited as before', async () => {
    const seen: string[] = [];
    const { url } = await app({
      rules,
      skip: (req) => {
        seen.push(req.path);
        return req.headers['x-internal'] === 'yes';
      },
    });
    for (let i = 0; i < 3; i++) {
      const skipped = await send(url, { ip: '198.51.100.1', headers: { 'x-internal': 'yes' } });
      assert.equal(skipped.status, 200);
      assert.equal(skipped.headers.get('ratelimit-policy'), null);
    }
    assert.deepEqual(await statuses(url, 2, { ip: '198.51.100.1' }), [200, 429], 'the skipped requests counted nowhere');
    assert.equal(seen.length, 5, 'called once per request');
  });

  it('a skip function that throws sends the error to the error handler; a non-function is refused at construction', async () => {
    const { url, errors } = await app({
      rules,
      skip: () => {
        throw new Error('skip broke');
      },
    });
    assert.equal((await send(url)).status, 500);
    assert.match(String(errors.at(-1)), /skip broke/);
    assert.throws(() => rateLimit({ skip: true as never }), (e: unknown) => e instanceof OptionsError && e.path === 'skip');
  });
});

describe('the refusal message', () => {
  it('the default is AspNetCoreRateLimit\'s', async () => {
    const { url } = await app({ rules, handler: answerRefusal });
    await send(url, { ip: '198.51.100.2' });
    const refused = await send(url, { ip: '198.51.100.2' });
    assert.deepEqual((refused.body as { information: unknown }).information, [{ type: 'RateLimit', message: 'API calls quota exceeded! maximum admitted 1 per 1m.' }]);
  });

  it('a configured message fills {limit} {period} {rule} {retryAfter} and {0} {1} {2}, inside the envelope', async () => {
    const section = rateLimitingFrom({
      RateLimiting: { Rules: [{ Name: 'burst', Endpoint: '*', Period: '1m', Limit: 1 }], QuotaExceededMessage: 'Slow down: {limit} per {period} ({rule}); retry in {retryAfter} s. [{0}/{1}/{2}]' },
    });
    const { url } = await app({ ...rateLimitOptionsFromConfig(section), handler: answerRefusal });
    await send(url, { ip: '198.51.100.3' });
    const refused = await send(url, { ip: '198.51.100.3', headers: { accept: 'application/problem+json' } });
    assert.equal(refused.status, 429);
    assert.equal((refused.body as { detail: string }).detail, 'Slow down: 1 per 1m (burst); retry in 60 s. [1/1m/60]');
  });

  it('update() applies a new message and drops a removed one', async () => {
    const { url, limiter } = await app({ rules, message: 'First: {limit}.', handler: answerRefusal });
    await send(url, { ip: '198.51.100.4' });
    const message = async (): Promise<string> => ((await send(url, { ip: '198.51.100.4' })).body as { information: { message: string }[] }).information[0]!.message;
    assert.equal(await message(), 'First: 1.');
    limiter.update({ message: 'Second: {period}.' });
    assert.equal(await message(), 'Second: 1m.');
    limiter.update({ message: undefined });
    assert.equal(await message(), 'API calls quota exceeded! maximum admitted 1 per 1m.');
  });

  it('a message the envelope could not show is refused at construction', () => {
    for (const [message, pattern] of [
      ['{lmit} left', /unknown placeholder \{lmit\} \(did you mean \{limit\}\?\)/],
      ['line one\nline two', /would not be shown to clients/],
      ['x'.repeat(290) + '{rule}', /too long: with the longest values it reaches 354 characters/],
    ] as const) {
      assert.throws(() => rateLimit({ message }), (e: unknown) => e instanceof OptionsError && e.path === 'message' && pattern.test(e.message), message);
    }
  });
});
