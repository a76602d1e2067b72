/**
 * The docs page over HTTP (docs-browser.test.ts drives it in Chromium): what the server sends for the
 * page and its files, where the demo key appears and where it must not, and whether the OpenAPI
 * document the page shows describes the answers GET /Issues/{iid} really gives.
 */
import assert from 'node:assert/strict';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import express from 'express';
import { docsRoute } from '../../examples/issuetrak-style/docs-route.js';
import { errorMapper, loadConfig } from '../../lib/index.js';
import { API_KEY, makeCertificate, makeConfigDir, readLogs, removeDir, request, startExample, waitFor, type Reply } from './helpers.js';

// The example's own appsettings (docs whitelisted), with the burst rule made small and slow for the 429.
const ENV = { Logging__Console: 'false', RateLimiting__Rules__0__Period: '1m', RateLimiting__Rules__0__Limit: '6' };

function assetPaths(html: string): string[] {
  return [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!);
}

describe('the docs page in Development', () => {
  const cleanups: Array<() => unknown> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  test('serves the page with a strict CSP and the demo key, and only the files the page loads', async () => {
    const dir = makeConfigDir();
    cleanups.push(() => removeDir(dir));
    const server = await startExample(dir, { env: ENV, watch: false });
    cleanups.push(() => server.close());
    const origin = new URL(server.url).origin;

    const page = await request(`${server.url}/docs`, { auth: false });
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /^text\/html; charset=utf-8/);
    assert.equal(page.headers['cache-control'], 'no-store', 'the page holds the demo key: never cached');
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(page.text, new RegExp(`data-try-it-api-key="${API_KEY}"`));
    assert.doesNotMatch(page.text, /<script>|<style>|https?:\/\//, 'no inline script or style, no other origin');

    const expected: Record<string, RegExp> = {
      'swagger-ui.css': /^text\/css/,
      'index.css': /^text\/css/,
      'favicon-32x32.png': /^image\/png$/,
      'swagger-ui-bundle.js': /^(text|application)\/javascript/,
      'swagger-init.js': /^(text|application)\/javascript/,
    };
    const assets = assetPaths(page.text);
    assert.equal(assets.length, Object.keys(expected).length, assets.join(', '));
    for (const asset of assets) {
      const reply = await request(`${origin}${asset}`, { auth: false });
      const name = asset.slice(asset.lastIndexOf('/') + 1);
      assert.equal(reply.status, 200, asset);
      assert.match(String(reply.headers['content-type']), expected[name]!, asset);
      assert.equal(reply.headers['x-content-type-options'], 'nosniff', asset);
      assert.equal(reply.headers.ratelimit, undefined, `${asset} spends no quota`);
      if (name === 'swagger-init.js') assert.equal(reply.headers['cache-control'], 'no-cache');
      else assert.equal(reply.headers['cache-control'], 'public, max-age=31536000, immutable', asset);
    }
    assert.match(assets.find((a) => a.endsWith('swagger-ui-bundle.js'))!, /^\/api\/v2\/docs\/swagger-ui\/\d+\.\d+\.\d+\//, 'versioned path');

    // Nothing else of the package, and no path tricks, even without a key.
    const bundle = assets.find((a) => a.endsWith('swagger-ui-bundle.js'))!;
    for (const other of [bundle.replace('swagger-ui-bundle.js', 'index.html'), `${bundle}.map`, bundle.replace('swagger-ui-bundle.js', '..%2Fpackage.json'), '/api/v2/docs/nope.js']) {
      const reply = await request(`${origin}${other}`, { auth: false });
      assert.equal(reply.status, 404, other);
      assert.equal(reply.json().information[0].type, 'NotFound', other);
    }

    // The page, its files and the plain 404s above spent nothing. The `..%2F` trick spent one call: an
    // endpoint whitelist exempts plain paths only (docs/rate-limiting.md, "The canonical request path").
    const first = await request(`${server.url}/Authenticate/test`);
    assert.equal(first.status, 200);
    assert.match(String(first.headers.ratelimit), /^"burst";r=4;/);
  });
});

describe('the docs page outside Development', () => {
  test('leaves the demo key out even when the environment file has one, and logs why', async (t) => {
    // The Development file copied as appsettings.Production.json: Docs.TryItOut.ApiKey included.
    const dir = makeConfigDir({ production: true });
    t.after(() => removeDir(dir));
    makeCertificate(dir);
    const server = await startExample(dir, {
      environment: 'Production',
      watch: false,
      env: { ...ENV, Https__Certificate__Path: 'server.crt', Https__Certificate__KeyPath: 'server.key' },
    });
    t.after(() => server.close());
    assert.match(server.url, /^https:/);
    const page = await request(`${server.url}/docs`, { auth: false });
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /try-it-api-key|example-key-change-me/);
    await waitFor('the warning', () => readLogs(dir).includes('Docs.TryItOut.ApiKey is ignored in the Production environment'));
  });

  test('without swagger-ui-dist the page answers 404 saying the page is not installed', async (t) => {
    const dir = makeConfigDir();
    t.after(() => removeDir(dir));
    const config = loadConfig({ dir, environment: 'Development' });
    const app = express();
    app.use('/api/v2/docs', docsRoute(() => config, new Error('swagger-ui-dist not found')));
    app.use(errorMapper());
    const server: http.Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    t.after(() => new Promise((resolve) => server.close(resolve)));
    const reply = await request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2/docs`, { auth: false });
    assert.equal(reply.status, 404);
    assert.equal(reply.json().information[0].message, 'The API documentation page is not installed on this server.');
  });
});

/** A response object of the document with its $refs resolved (one level, as the document uses them). */
function documented(doc: any, status: string): { headers: string[]; type?: string } {
  let response = doc.paths['/Issues/{iid}'].get.responses[status];
  assert.ok(response, `GET /Issues/{iid} documents no ${status}`);
  if (response.$ref) response = doc.components.responses[response.$ref.split('/').pop()];
  const example = response.content?.['application/json']?.example;
  return { headers: Object.keys(response.headers ?? {}), type: example?.information?.[0]?.type };
}

function checkAgainst(doc: any, status: string, reply: Reply): void {
  assert.equal(String(reply.status), status);
  const { headers, type } = documented(doc, status);
  for (const header of headers) assert.ok(reply.headers[header.toLowerCase()] !== undefined, `${status}: documented header ${header} is missing`);
  if (reply.headers.ratelimit !== undefined) assert.ok(headers.includes('RateLimit'), `${status}: RateLimit is sent but not documented`);
  if (type !== undefined) assert.equal(reply.json().information[0].type, type, `${status}: envelope type`);
}

describe('the OpenAPI document the page shows', () => {
  test('describes the answers GET /Issues/{iid} really gives: 200, 400, 401, 404, 429 and 403', async (t) => {
    const dir = makeConfigDir({ production: true });
    t.after(() => removeDir(dir));
    const server = await startExample(dir, { env: ENV, watch: false });
    t.after(() => server.close());
    const doc = (await request(`${server.url}/openapi.json`, { auth: false })).json();
    assert.match(doc.info.description, /\| burst \| `\*` \| 6 \| 1m \|/, 'the rules in effect are listed');

    checkAgainst(doc, '200', await request(`${server.url}/Issues/1`));
    checkAgainst(doc, '400', await request(`${server.url}/Issues/abc`));
    const unauthorized = await request(`${server.url}/Issues/1`, { auth: false });
    checkAgainst(doc, '401', unauthorized);
    assert.equal(unauthorized.text, '', '401 has an empty body');
    checkAgainst(doc, '404', await request(`${server.url}/Issues/999`));
    let reply = await request(`${server.url}/Issues/1`);
    for (let i = 0; i < 10 && reply.status === 200; i++) reply = await request(`${server.url}/Issues/1`);
    checkAgainst(doc, '429', reply);

    // Plain HTTP in Production: refused before the rate limiter, so no RateLimit headers.
    const production = await startExample(dir, { environment: 'Production', env: ENV, watch: false });
    t.after(() => production.close());
    checkAgainst(doc, '403', await request(`${production.url}/Issues/1`));
  });
});
