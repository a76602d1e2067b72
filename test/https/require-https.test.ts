// requireHttps over real HTTP and real HTTPS (self-signed cert made with openssl), under Express 5 and 4.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import express5 from 'express';
import express4 from 'express4';
import { errorMapper, OptionsError, notFound } from '../../lib/errors/index.js';
import { isLoopbackAddress, requireHttps, type RequireHttpsOptions } from '../../lib/https/index.js';
import { listen, recordingSink, request, selfSignedCert, type Running } from '../errors/http-helpers.js';

type Express = typeof express5;

function buildApp(express: Express, options: RequireHttpsOptions | undefined, trustProxy?: string) {
  const app = express();
  if (trustProxy !== undefined) app.set('trust proxy', trustProxy);
  app.use(requireHttps(options));
  app.get('/api/v2/Authenticate/test', (req, res) => {
    res.json({ secure: req.secure });
  });
  app.use(notFound());
  app.use(errorMapper({ logger: recordingSink(), environment: 'Production' }));
  return app;
}

const REFUSAL = [{ type: 'Security', message: 'HTTPS is required. Use https:// to call this API.' }];
const cert = selfSignedCert();
after(() => cert.cleanup());

for (const [version, express] of [
  [5, express5],
  [4, express4 as unknown as Express],
] as const) {
  describe(`requireHttps on Express ${version}`, () => {
    const servers: Running[] = [];
    const start = async (options?: RequireHttpsOptions, tls = false, trustProxy?: string) => {
      const server = await listen(buildApp(express, options, trustProxy), tls ? cert : undefined);
      servers.push(server);
      return server;
    };
    after(async () => {
      await Promise.all(servers.map((s) => s.close()));
    });

    test('plain HTTP is refused with 403 Security, no redirect, no HSTS', async () => {
      const server = await start();
      const reply = await request(`${server.url}/api/v2/Authenticate/test`);
      assert.equal(reply.status, 403);
      assert.deepEqual(reply.json().information, REFUSAL);
      assert.equal(reply.headers.location, undefined);
      assert.equal(reply.headers['strict-transport-security'], undefined);
    });

    test('HTTPS passes and carries HSTS (also on error responses)', async () => {
      const server = await start(undefined, true);
      const reply = await request(`${server.url}/api/v2/Authenticate/test`);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.json(), { secure: true });
      assert.equal(reply.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
      const missing = await request(`${server.url}/api/v2/nothing`);
      assert.equal(missing.status, 404);
      assert.equal(missing.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    });

    test('HSTS options: max-age, includeSubDomains off, hsts off', async () => {
      const custom = await start({ hstsMaxAge: 600, hstsIncludeSubDomains: false }, true);
      assert.equal((await request(`${custom.url}/api/v2/Authenticate/test`)).headers['strict-transport-security'], 'max-age=600');
      const off = await start({ hsts: false }, true);
      const reply = await request(`${off.url}/api/v2/Authenticate/test`);
      assert.equal(reply.status, 200);
      assert.equal(reply.headers['strict-transport-security'], undefined);
    });

    test('X-Forwarded-Proto is ignored unless trust proxy trusts the sender', async () => {
      const untrusted = await start();
      const spoofed = await request(`${untrusted.url}/api/v2/Authenticate/test`, { headers: { 'x-forwarded-proto': 'https' } });
      assert.equal(spoofed.status, 403);
      const trustsOther = await start(undefined, false, '10.0.0.1');
      assert.equal((await request(`${trustsOther.url}/api/v2/Authenticate/test`, { headers: { 'x-forwarded-proto': 'https' } })).status, 403);
      const trusted = await start(undefined, false, 'loopback');
      const forwarded = await request(`${trusted.url}/api/v2/Authenticate/test`, { headers: { 'x-forwarded-proto': 'https' } });
      assert.equal(forwarded.status, 200);
      assert.deepEqual(forwarded.json(), { secure: true });
      assert.equal(forwarded.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
      assert.equal((await request(`${trusted.url}/api/v2/Authenticate/test`, { headers: { 'x-forwarded-proto': 'http' } })).status, 403);
    });

    test('required: false lets plain HTTP through without HSTS', async () => {
      const server = await start({ required: false });
      const reply = await request(`${server.url}/api/v2/Authenticate/test`);
      assert.equal(reply.status, 200);
      assert.equal(reply.headers['strict-transport-security'], undefined);
    });

    test('loopback allowed only with allowLoopback, only in Development when an environment is given, never via a proxy', async () => {
      const dev = await start({ allowLoopback: true, environment: 'Development' });
      assert.equal((await request(`${dev.url}/api/v2/Authenticate/test`)).status, 200);
      const viaProxy = await request(`${dev.url}/api/v2/Authenticate/test`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
      assert.equal(viaProxy.status, 403);
      const prod = await start({ allowLoopback: true, environment: 'Production' });
      assert.equal((await request(`${prod.url}/api/v2/Authenticate/test`)).status, 403);
      const standalone = await start({ allowLoopback: true });
      assert.equal((await request(`${standalone.url}/api/v2/Authenticate/test`)).status, 200);
    });

    test('problem format negotiation applies to the refusal', async () => {
      const server = await start();
      const reply = await request(`${server.url}/api/v2/Authenticate/test`, { headers: { accept: 'application/problem+json' } });
      assert.equal(reply.status, 403);
      assert.equal(reply.json().title, 'Forbidden');
      assert.equal(reply.json().detail, REFUSAL[0]!.message);
    });
  });
}

describe('requireHttps options', () => {
  test('typo traps and value checks', () => {
    assert.throws(() => requireHttps({ hstMaxAge: 10 } as never), (err: unknown) => err instanceof OptionsError && /Did you mean "hstsMaxAge"/.test(err.message));
    assert.throws(() => requireHttps({ allowLoopBack: true } as never), /Did you mean "allowLoopback"/);
    assert.throws(() => requireHttps({ hstsMaxAge: -1 }), /hstsMaxAge: expected a whole number of seconds \(31536000 is one year/);
    assert.throws(() => requireHttps({ hstsMaxAge: 1.5 }), /hstsMaxAge: expected a whole number of seconds/);
    assert.throws(() => requireHttps({ maxAge: 10 } as never), /helmet's name; write hstsMaxAge: 10/);
    assert.throws(() => requireHttps({ required: 'true' as never }), /required: expected true or false/);
    assert.doesNotThrow(() => requireHttps({ hstsMaxAge: 0 }));
  });

  test('isLoopbackAddress', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopbackAddress(a), true, a);
    for (const a of ['10.0.0.1', '::ffff:10.0.0.1', '', undefined, '1127.0.0.1']) assert.equal(isLoopbackAddress(a), false, String(a));
  });
});
