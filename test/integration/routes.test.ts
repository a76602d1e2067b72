/**
 * Every example route over real HTTP (Development, plain HTTP on loopback) and real HTTPS
 * (Production, self-signed certificate): envelopes, paging, patching, health and the OpenAPI document.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from '../../examples/issuetrak-style/app.js';
import { baseConfig, makeCertificate, makeConfigDir, removeDir, request, startExample } from './helpers.js';

const TRACE_ID = /^[0-9A-V]{13}:[0-9A-F]{8}$/;

function routeSuite(name: string, protocol: 'http:' | 'https:', start: (dir: string) => Promise<RunningServer>, configure: () => string): void {
  describe(name, () => {
    let dir: string;
    let server: RunningServer;
    before(async () => {
      dir = configure();
      server = await start(dir);
    });
    after(async () => {
      await server?.close();
      removeDir(dir);
    });

    test('GET /Authenticate/test answers {traceId, values} with the trace ID also in the header', async () => {
      const reply = await request(`${server.url}/Authenticate/test`);
      assert.equal(reply.status, 200);
      const body = reply.json();
      assert.deepEqual(Object.keys(body).sort(), ['traceId', 'values']);
      assert.match(body.traceId, TRACE_ID);
      assert.equal(reply.headers['x-trace-id'], body.traceId);
      assert.deepEqual(body.values, { isAuthenticated: true, keyName: 'example' });
      assert.ok(reply.headers['ratelimit-policy'], 'rate-limit policy header present');
      assert.equal(new URL(server.url).protocol, protocol);
      if (protocol === 'https:') assert.match(String(reply.headers['strict-transport-security']), /max-age=31536000/);
      else assert.equal(reply.headers['strict-transport-security'], undefined);
    });

    test('GET /Issues/{iid} returns a seeded issue; unknown is 404, malformed is 400', async () => {
      const found = await request(`${server.url}/Issues/2`);
      assert.equal(found.status, 200);
      assert.equal(found.json().values.issueNumber, 2);
      assert.equal(found.json().values.subject, 'VPN drops every hour');

      const missing = await request(`${server.url}/Issues/999`);
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.json().information, [{ type: 'NotFound', message: 'Issue 999 was not found.' }]);

      const malformed = await request(`${server.url}/Issues/abc`);
      assert.equal(malformed.status, 400);
      assert.equal(malformed.json().information[0].type, 'Validation');
    });

    test('POST /Issues/Create answers 201 with Location, and the issue can be read back', async () => {
      const created = await request(`${server.url}/Issues/Create`, {
        method: 'POST',
        body: { Subject: 'Keyboard missing keys', Description: 'F and J', Priority: 'Low' },
      });
      assert.equal(created.status, 201);
      const issue = created.json().values;
      assert.equal(issue.subject, 'Keyboard missing keys');
      assert.equal(issue.submittedBy, 'example');
      assert.equal(created.headers.location, `/api/v2/Issues/${issue.issueNumber}`);
      const read = await request(`${server.url}/Issues/${issue.issueNumber}`);
      assert.equal(read.json().values.description, 'F and J');

      const invalid = await request(`${server.url}/Issues/Create`, { method: 'POST', body: { Description: 'no subject' } });
      assert.equal(invalid.status, 400);
      assert.deepEqual(Object.keys(invalid.json()).sort(), ['information', 'traceId']);
      assert.deepEqual(invalid.json().information, [{ type: 'Validation', message: 'Subject is required.' }]);
    });

    test('POST /Issues/Search pages with PageNumber/PageSize and validates 1–100', async () => {
      const first = await request(`${server.url}/Issues/Search`, { method: 'POST', body: { PageNumber: 1, PageSize: 2 } });
      assert.equal(first.status, 200);
      const body = first.json();
      assert.deepEqual(Object.keys(body).sort(), ['pagingInformation', 'traceId', 'values']);
      assert.equal(body.values.length, 2);
      assert.equal(body.pagingInformation.page, 1);
      assert.ok(body.pagingInformation.itemTotal >= 5);
      assert.equal(body.pagingInformation.pageCount, Math.ceil(body.pagingInformation.itemTotal / 2));

      const filtered = await request(`${server.url}/Issues/Search`, { method: 'POST', body: { SubjectContains: 'printer' } });
      assert.deepEqual(filtered.json().values.map((i: { issueNumber: number }) => i.issueNumber), [1]);
      assert.deepEqual(filtered.json().pagingInformation, { page: 1, itemTotal: 1, pageCount: 1 });

      for (const PageSize of [0, 101, 2.5]) {
        const bad = await request(`${server.url}/Issues/Search`, { method: 'POST', body: { PageSize } });
        assert.equal(bad.status, 400, `PageSize ${PageSize}`);
        assert.deepEqual(bad.json().information, [{ type: 'Validation', message: 'PageSize must be an integer from 1 to 100.' }]);
      }
    });

    test('PATCH /Issues/{iid} applies Add/Replace/Remove and rejects bad operations whole', async () => {
      const patched = await request(`${server.url}/Issues/3`, {
        method: 'PATCH',
        body: [
          { op: 'Add', path: '/Note', value: 'Ordered the laptop.' },
          { op: 'Replace', path: '/Status', value: 'In Progress' },
          { op: 'Remove', path: '/Description' },
        ],
      });
      assert.equal(patched.status, 200);
      const issue = patched.json().values;
      assert.equal(issue.status, 'In Progress');
      assert.equal(issue.description, '');
      assert.equal(issue.notes.length, 1);
      assert.equal(issue.notes[0].text, 'Ordered the laptop.');

      const bad = await request(`${server.url}/Issues/3`, {
        method: 'PATCH',
        body: [
          { op: 'Replace', path: '/Status', value: 'Closed' },
          { op: 'Move', path: '/Subject' },
        ],
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.json().information[0].message, 'Operation 1: op must be Add, Replace or Remove.');
      const unchanged = await request(`${server.url}/Issues/3`);
      assert.equal(unchanged.json().values.status, 'In Progress');

      const notArray = await request(`${server.url}/Issues/3`, { method: 'PATCH', body: { op: 'Add' } });
      assert.equal(notArray.status, 400);
      const missing = await request(`${server.url}/Issues/999`, { method: 'PATCH', body: [{ op: 'Add', path: '/Note', value: 'x' }] });
      assert.equal(missing.status, 404);
    });

    test('GET /health reports without secrets and without an API key', async () => {
      const reply = await request(`${server.url}/health`, { auth: false });
      assert.equal(reply.status, 200);
      const body = reply.json();
      assert.ok(['Healthy', 'Degraded'].includes(body.status), body.status);
      assert.equal(body.checks.config.status, 'Healthy');
      for (const secret of ['dev-placeholder-password', 'dev-placeholder-session-signing-key', 'issuetrak_api']) {
        assert.ok(!reply.text.includes(secret), `health body must not contain ${secret}`);
      }
    });

    test('GET /openapi.json is an OpenAPI 3 document with the envelope, headers and key scheme', async () => {
      const reply = await request(`${server.url}/openapi.json`, { auth: false });
      assert.equal(reply.status, 200);
      const doc = reply.json();
      assert.match(doc.openapi, /^3\./);
      assert.equal(doc.servers[0].url, server.url);
      for (const route of ['/Authenticate/test', '/Issues/{iid}', '/Issues/Create', '/Issues/Search', '/health']) assert.ok(doc.paths[route], route);
      assert.deepEqual(doc.components.securitySchemes.ApiKey, {
        type: 'apiKey',
        in: 'header',
        name: 'X-Api-Key',
        description: 'A missing or unknown key gets 401 with an empty body.',
      });
      for (const header of ['RateLimit', 'RateLimit-Policy', 'Retry-After', 'X-Trace-Id']) assert.ok(doc.components.headers[header], header);
      const get = doc.paths['/Issues/{iid}'].get.responses;
      for (const status of ['400', '404', '429', '500']) assert.ok(get[status], status);
      assert.ok(doc.components.responses.TooManyRequests.headers['Retry-After']);
      assert.deepEqual(doc.components.schemas.ErrorEnvelope.required, ['traceId', 'information']);
    });
  });
}

routeSuite('over HTTP (Development, loopback)', 'http:', (dir) => startExample(dir), () => makeConfigDir({ base: baseConfig() }));

routeSuite(
  'over HTTPS (Production, self-signed certificate)',
  'https:',
  (dir) => startExample(dir, { environment: 'Production' }),
  () => {
    const dir = makeConfigDir({ production: true });
    const { cert, key } = makeCertificate(dir);
    const https = { Required: true, Hsts: true, Certificate: { Path: path.basename(cert), KeyPath: path.basename(key) } };
    writeFileSync(path.join(dir, 'appsettings.json'), JSON.stringify(baseConfig(undefined, { Https: https }), null, 2));
    return dir;
  },
);
