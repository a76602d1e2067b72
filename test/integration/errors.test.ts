/**
 * Every error class through the example app over real HTTP: 404, 400 (bad JSON), 413, 415, 401,
 * 429, 500 from a throwing handler and from a rejected promise, an error after the headers were
 * sent — in the issuetrak envelope, and in RFC 9457 via Accept or via config.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Router } from 'express';
import type { RunningServer } from '../../examples/issuetrak-style/app.js';
import { baseConfig, makeConfigDir, readLogs, removeDir, request, startExample, waitFor } from './helpers.js';
import path from 'node:path';

const PROCESSING = 'An error occurred while processing your request.';
const SECRET_MESSAGE = 'db password=hunter22 at C:\\inetpub\\app\\handler.js';

function testRoutes(router: Router): void {
  router.get('/__test/throw', () => {
    throw new Error(SECRET_MESSAGE);
  });
  router.get('/__test/reject', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    throw new Error(SECRET_MESSAGE);
  });
  router.get('/__test/headers-sent', (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.write('partial');
    throw new Error('failed mid-stream');
  });
}

function assertIssuetrak(reply: { headers: Record<string, unknown>; json(): any }, type: string, message?: string): void {
  assert.match(String(reply.headers['content-type']), /^application\/json/);
  const body = reply.json();
  assert.deepEqual(Object.keys(body).sort(), ['information', 'traceId']);
  assert.equal(body.traceId, reply.headers['x-trace-id']);
  assert.equal(body.information.length, 1);
  assert.equal(body.information[0].type, type);
  if (message !== undefined) assert.equal(body.information[0].message, message);
}

describe('error classes, issuetrak format', () => {
  let dir: string;
  let server: RunningServer;
  before(async () => {
    dir = makeConfigDir({
      base: baseConfig([
        { Name: 'burst', Endpoint: '*', Period: '1s', Limit: 10_000 },
        { Name: 'search', Endpoint: 'post:/api/v2/Issues/Search', Period: '1m', Limit: 2 },
      ]),
    });
    server = await startExample(dir, { testRoutes });
  });
  after(async () => {
    await server?.close();
    removeDir(dir);
  });

  test('404 for an unmatched route, in the envelope', async () => {
    const reply = await request(`${server.url}/NoSuchThing?x=1`);
    assert.equal(reply.status, 404);
    assertIssuetrak(reply, 'NotFound', 'No route matches GET /api/v2/NoSuchThing');
    const outside = await request(`${server.url.replace('/api/v2', '')}/elsewhere`);
    assert.equal(outside.status, 404);
  });

  test('400 for a body that is not JSON', async () => {
    const reply = await request(`${server.url}/Issues/Create`, { method: 'POST', body: '{"Subject": ', headers: { 'Content-Type': 'application/json' } });
    assert.equal(reply.status, 400);
    assertIssuetrak(reply, 'Validation', 'The request body is not valid JSON');
  });

  test('413 for a body over 100 kB', async () => {
    const reply = await request(`${server.url}/Issues/Create`, { method: 'POST', body: { Subject: 'x'.repeat(110 * 1024) } });
    assert.equal(reply.status, 413);
    assertIssuetrak(reply, 'Validation');
  });

  test('415 for an unsupported charset or encoding and for a non-JSON content type', async () => {
    const charset = await request(`${server.url}/Issues/Create`, {
      method: 'POST',
      body: '{"Subject":"x"}',
      headers: { 'Content-Type': 'application/json; charset=latin1' },
    });
    assert.equal(charset.status, 415);
    assertIssuetrak(charset, 'Validation');
    const encoding = await request(`${server.url}/Issues/Create`, {
      method: 'POST',
      body: '{"Subject":"x"}',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'x-unknown' },
    });
    assert.equal(encoding.status, 415);
    assertIssuetrak(encoding, 'Validation');
    const text = await request(`${server.url}/Issues/Create`, { method: 'POST', body: 'Subject=x', headers: { 'Content-Type': 'text/plain' } });
    assert.equal(text.status, 415);
    assertIssuetrak(text, 'Validation', 'Send the request body as application/json.');
  });

  test('401 with an empty body for a missing or unknown key, trace ID still set', async () => {
    const variants: Array<Record<string, string>> = [{}, { 'X-Api-Key': 'not-a-key' }];
    for (const headers of variants) {
      const reply = await request(`${server.url}/Issues/1`, { auth: false, headers });
      assert.equal(reply.status, 401);
      assert.equal(reply.text, '');
      assert.ok(reply.headers['x-trace-id']);
    }
  });

  test('429 with Retry-After and the quota message once a rule is exhausted', async () => {
    const search = () => request(`${server.url}/Issues/Search`, { method: 'POST', body: {} });
    assert.equal((await search()).status, 200);
    assert.equal((await search()).status, 200);
    const rejected = await search();
    assert.equal(rejected.status, 429);
    assertIssuetrak(rejected, 'RateLimit', 'API calls quota exceeded! maximum admitted 2 per 1m.');
    const retryAfter = Number(rejected.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    // Other endpoints are not limited by the search rule.
    assert.equal((await request(`${server.url}/Issues/1`)).status, 200);
  });

  test('500 from a throwing handler and from a rejected promise: generic body, full error in the log', async () => {
    for (const route of ['throw', 'reject']) {
      const reply = await request(`${server.url}/__test/${route}`);
      assert.equal(reply.status, 500, route);
      assertIssuetrak(reply, 'Processing', PROCESSING);
      assert.ok(!reply.text.includes('hunter22') && !reply.text.includes('inetpub') && !reply.text.includes('at '), reply.text);
      const traceId = reply.json().traceId as string;
      await waitFor('the 500 log line', () => readLogs(path.join(dir, 'logs')).split('\n').some((l) => l.includes(traceId) && l.includes('handler.js')));
    }
  });

  test('an error after the headers were sent closes the connection instead of answering twice', async () => {
    await assert.rejects(request(`${server.url}/__test/headers-sent`), /aborted|socket hang up|ECONNRESET|terminated/i);
    assert.equal((await request(`${server.url}/Issues/1`)).status, 200, 'the server keeps serving');
  });

  test('Accept: application/problem+json gets RFC 9457 whatever the configured format', async () => {
    const reply = await request(`${server.url}/Issues/999`, { headers: { Accept: 'application/problem+json' } });
    assert.equal(reply.status, 404);
    assert.match(String(reply.headers['content-type']), /^application\/problem\+json/);
    const body = reply.json();
    assert.equal(body.status, 404);
    assert.equal(body.detail, 'Issue 999 was not found.');
    assert.equal(body.instance, '/api/v2/Issues/999');
    assert.equal(body.traceId, reply.headers['x-trace-id']);
    assert.ok(typeof body.type === 'string' && typeof body.title === 'string');
  });
});

describe('error classes, problem format from config', () => {
  let dir: string;
  let server: RunningServer;
  before(async () => {
    dir = makeConfigDir({ base: baseConfig() });
    server = await startExample(dir, { testRoutes, overrides: { Errors: { Format: 'problem' } } });
  });
  after(async () => {
    await server?.close();
    removeDir(dir);
  });

  test('404, 400, 415, 500 all answer application/problem+json with a traceId member', async () => {
    const cases = [
      { url: `${server.url}/nowhere`, options: {}, status: 404 },
      { url: `${server.url}/Issues/Create`, options: { method: 'POST', body: '{', headers: { 'Content-Type': 'application/json' } }, status: 400 },
      { url: `${server.url}/Issues/Create`, options: { method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain' } }, status: 415 },
      { url: `${server.url}/__test/throw`, options: {}, status: 500 },
    ];
    for (const c of cases) {
      const reply = await request(c.url, c.options);
      assert.equal(reply.status, c.status, c.url);
      assert.match(String(reply.headers['content-type']), /^application\/problem\+json/);
      const body = reply.json();
      assert.equal(body.status, c.status);
      assert.equal(body.traceId, reply.headers['x-trace-id']);
      if (c.status === 500) {
        assert.equal(body.detail, PROCESSING);
        assert.ok(!reply.text.includes('hunter22'));
      }
    }
  });
});
