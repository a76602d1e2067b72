/** Client keys (IP, IPv6 /56, hashed header) and the three whitelists. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { MemoryStore } from '../../lib/rate-limit/index.js';
import { hashClientKey } from '../../lib/rate-limit/client-key.js';
import { send, startApp, statuses, type TestApp } from './helpers.js';

const apps: TestApp[] = [];
after(() => Promise.all(apps.map((app) => app.close())));
const one = [{ name: 'one', endpoint: '*', period: '1m', limit: 1 }];

async function app(options: Parameters<typeof startApp>[0]): Promise<TestApp> {
  const started = await startApp(options);
  apps.push(started);
  return started;
}

describe('IP whitelist', () => {
  it('single IPv4, IPv4 CIDR, single IPv6 and IPv6 CIDR entries', async () => {
    const { url } = await app({ rules: one, ipWhitelist: ['203.0.113.7', '10.0.0.0/8', '2001:db8::1', '2001:db8:aa::/48'] });
    for (const ip of ['203.0.113.7', '10.20.30.40', '2001:db8::1', '2001:db8:aa:1::5', '::ffff:10.1.1.1']) {
      assert.deepEqual(await statuses(url, 3, { ip }), [200, 200, 200], `${ip} is whitelisted`);
    }
    for (const ip of ['203.0.113.8', '11.0.0.1', '2001:db8::2', '2001:db8:ab::1']) {
      assert.deepEqual(await statuses(url, 2, { ip }), [200, 429], `${ip} is limited`);
    }
  });

  it('whitelisted requests get no rate-limit headers', async () => {
    const { url } = await app({ rules: one, ipWhitelist: ['192.0.2.0/24'] });
    assert.equal((await send(url, { ip: '192.0.2.9' })).headers.get('ratelimit'), null);
  });
});

describe('client keys', () => {
  it('IPv6 clients in one /56 share counters; another /56 does not', async () => {
    const { url } = await app({ rules: one });
    assert.equal((await send(url, { ip: '2001:db8:1:100::1' })).status, 200);
    assert.equal((await send(url, { ip: '2001:db8:1:1ff::2' })).status, 429, 'same /56');
    assert.equal((await send(url, { ip: '2001:db8:1:200::1' })).status, 200, 'next /56');
  });

  it('header:X-Api-Key counts per key, hashed; a missing header falls back to the IP', async () => {
    const store = new MemoryStore();
    const { url } = await app({ rules: one, clientKey: 'header:X-Api-Key', store });
    assert.deepEqual(await statuses(url, 2, { ip: '192.0.2.1', headers: { 'x-api-key': 'secret-a' } }), [200, 429]);
    assert.equal((await send(url, { ip: '192.0.2.1', headers: { 'x-api-key': 'secret-b' } })).status, 200, 'other key, same IP');
    assert.deepEqual(await statuses(url, 2, { ip: '192.0.2.1' }), [200, 429], 'no header: the IP');
    const keys = [...(store as unknown as { clients: Map<string, unknown> }).clients.keys()];
    assert.ok(keys.includes(hashClientKey('secret-a')));
    assert.ok(!keys.some((key) => key.includes('secret')), 'raw keys never reach the store');
  });

  it('a function key; an empty result falls back to the IP', async () => {
    const { url } = await app({ rules: one, clientKey: (req) => String(req.headers['x-tenant'] ?? '') });
    assert.deepEqual(await statuses(url, 2, { headers: { 'x-tenant': 't1' } }), [200, 429]);
    assert.equal((await send(url, { headers: { 'x-tenant': 't2' } })).status, 200);
    assert.deepEqual(await statuses(url, 2, { ip: '192.0.2.50' }), [200, 429]);
  });
});

describe('client and endpoint whitelists', () => {
  it('clientWhitelist holds raw API keys and matches them hashed', async () => {
    const { url } = await app({ rules: one, clientKey: 'header:X-Api-Key', clientWhitelist: ['trusted-key'] });
    assert.deepEqual(await statuses(url, 3, { headers: { 'x-api-key': 'trusted-key' } }), [200, 200, 200]);
    assert.deepEqual(await statuses(url, 2, { headers: { 'x-api-key': 'other-key' } }), [200, 429]);
  });

  it('clientWhitelist with IP keys', async () => {
    const { url } = await app({ rules: one, clientWhitelist: ['192.0.2.77'] });
    assert.deepEqual(await statuses(url, 3, { ip: '192.0.2.77' }), [200, 200, 200]);
  });

  it('endpointWhitelist uses the rule endpoint syntax', async () => {
    const { url } = await app({ rules: one, endpointWhitelist: ['get:/health', '*:/api/v2/public/*'] });
    assert.deepEqual(await statuses(url, 3, { path: '/health' }), [200, 200, 200]);
    assert.deepEqual(await statuses(url, 3, { path: '/api/v2/public/x', method: 'POST' }), [200, 200, 200]);
    assert.deepEqual(await statuses(url, 2, { path: '/health', method: 'POST' }), [200, 429], 'only GET /health is exempt');
  });
});
