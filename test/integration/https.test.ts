/**
 * HTTPS enforcement through the example: plain HTTP is refused with 403 outside Development, let
 * through on loopback in Development only, and X-Forwarded-Proto counts only from a trusted proxy.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { RunningServer } from '../../examples/issuetrak-style/app.js';
import { baseConfig, makeConfigDir, removeDir, request, startExample } from './helpers.js';

const HTTPS_REQUIRED = 'HTTPS is required. Use https:// to call this API.';

describe('requireHttps in the example', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  async function start(environment: string, extra: object = {}): Promise<RunningServer> {
    const dir = makeConfigDir({ base: baseConfig(undefined, extra), production: true });
    const server = await startExample(dir, { environment });
    cleanups.push(() => removeDir(dir), () => server.close());
    return server;
  }

  test('Production: plain HTTP gets 403 Security in the envelope, with a trace ID and no HSTS', async () => {
    const server = await start('Production');
    const reply = await request(`${server.url}/Issues/1`);
    assert.equal(reply.status, 403);
    const body = reply.json();
    assert.deepEqual(body.information, [{ type: 'Security', message: HTTPS_REQUIRED }]);
    assert.equal(body.traceId, reply.headers['x-trace-id']);
    assert.equal(reply.headers['strict-transport-security'], undefined);
  });

  test('Development: loopback plain HTTP is allowed, but not when it arrived through a proxy', async () => {
    const server = await start('Development');
    assert.equal((await request(`${server.url}/Issues/1`)).status, 200);
    const proxied = await request(`${server.url}/Issues/1`, { headers: { 'X-Forwarded-For': '203.0.113.7' } });
    assert.equal(proxied.status, 403);
  });

  test('Development with AllowLoopbackInDevelopment false refuses loopback plain HTTP too', async () => {
    const server = await start('Development', { Https: { AllowLoopbackInDevelopment: false } });
    assert.equal((await request(`${server.url}/Issues/1`)).status, 403);
  });

  test('X-Forwarded-Proto: https counts only when trust proxy trusts the sender', async () => {
    const untrusted = await start('Production');
    assert.equal((await request(`${untrusted.url}/Issues/1`, { headers: { 'X-Forwarded-Proto': 'https' } })).status, 403);

    const trusted = await start('Production', { Hosting: { TrustProxy: 'loopback' } });
    const reply = await request(`${trusted.url}/Issues/1`, { headers: { 'X-Forwarded-Proto': 'https' } });
    assert.equal(reply.status, 200);
    assert.match(String(reply.headers['strict-transport-security']), /max-age=/);
    assert.equal((await request(`${trusted.url}/Issues/1`)).status, 403);
  });
});
