/**
 * Per-client policies (memory store): by address range, by header value, by its SHA-256 and from a
 * policy(req) function; a policy rule named like a general rule replaces it (and keeps its counter), a
 * new name adds a window; update() keeps the counters of unchanged names; every bad policy is an
 * OptionsError naming the option path and the fix.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { OptionsError, rateLimit, type RateLimitOptions, type RateLimitRule } from '../../lib/rate-limit/index.js';
import { appsClosedAfter, send, statuses } from './helpers.js';

const app = appsClosedAfter();

const sha = (value: string): string => createHash('sha256').update(value).digest('hex');
const burst = (limit: number): RateLimitRule => ({ name: 'burst', endpoint: '*', period: '1m', limit });

describe('policies by address', () => {
  it('a CIDR policy replaces a general rule by name and adds a window; other clients keep the general rules', async () => {
    const { url, errors } = await app({
      rules: [burst(2)],
      policies: [{ client: '203.0.113.0/24', rules: [burst(5), { name: 'partner-hour', endpoint: 'get:*', period: '1h', limit: 4 }] }],
    });
    const plain = await send(url, { ip: '198.51.100.1' });
    assert.equal(plain.headers.get('ratelimit-policy'), '"burst";q=2;w=60');
    assert.deepEqual(await statuses(url, 2, { ip: '198.51.100.1' }), [200, 429]);

    const partner = await send(url, { ip: '203.0.113.9' });
    assert.equal(partner.headers.get('ratelimit-policy'), '"burst";q=5;w=60, "partner-hour";q=4;w=3600');
    assert.deepEqual(await statuses(url, 4, { ip: '203.0.113.9' }), [200, 200, 200, 429]);
    assert.equal((errors.at(-1) as { rule: string }).rule, 'partner-hour', 'the added window refused the fifth GET');
    assert.equal((await send(url, { ip: '203.0.113.9', method: 'POST' })).status, 200, 'partner-hour is get: only; burst (5) has one left');
    assert.equal((await send(url, { ip: '203.0.113.10', method: 'POST' })).status, 200, 'another address of the range has its own counters');
  });

  it('the first matching range wins; IPv6 ranges match the address, not its /56 key', async () => {
    const { url } = await app({
      rules: [burst(1)],
      policies: [
        { client: '10.1.2.0/24', rules: [burst(3)] },
        { client: '10.1.0.0/16', rules: [burst(2)] },
        { client: '2001:db8:0:ab00::/64', rules: [burst(4)] },
      ],
    });
    assert.deepEqual(await statuses(url, 4, { ip: '10.1.2.3' }), [200, 200, 200, 429]);
    assert.deepEqual(await statuses(url, 3, { ip: '10.1.9.9' }), [200, 200, 429]);
    assert.deepEqual(await statuses(url, 5, { ip: '2001:db8:0:ab00::5' }), [200, 200, 200, 200, 429]);
    assert.deepEqual(await statuses(url, 1, { ip: '2001:db8:0:abff::5' }), [429], 'same /56 key, so the same counter; no policy here (limit 1)');
  });
});

describe('policies by header value', () => {
  const KEY = 'partner-secret-1b2c';
  it('ClientSha256 matches the hashed header value; Client matches a plain value; ranges match clients without the header', async () => {
    const { url } = await app({
      clientKey: 'header:X-Api-Key',
      rules: [burst(2)],
      policies: [
        { clientSha256: sha(KEY).toUpperCase(), rules: [burst(3)] },
        { client: 'script-7', rules: [burst(1)] },
        { client: '10.9.0.0/16', rules: [burst(4)] },
      ],
    });
    assert.deepEqual(await statuses(url, 4, { headers: { 'x-api-key': KEY } }), [200, 200, 200, 429]);
    assert.deepEqual(await statuses(url, 2, { headers: { 'x-api-key': 'script-7' } }), [200, 429]);
    assert.deepEqual(await statuses(url, 5, { ip: '10.9.1.1' }), [200, 200, 200, 200, 429], 'no header: counted by address, the range applies');
    assert.deepEqual(await statuses(url, 3, { ip: '10.9.1.2', headers: { 'x-api-key': 'other' } }), [200, 200, 429], 'a keyed client gets no address policy');
  });

  it('with a clientKey function, Client and ClientSha256 match the value it returns', async () => {
    const { url } = await app({
      clientKey: (req) => String(req.headers['x-account'] ?? ''),
      rules: [burst(1)],
      policies: [
        { client: 'acct-1', rules: [burst(2)] },
        { clientSha256: sha('acct-2'), rules: [burst(3)] },
      ],
    });
    assert.deepEqual(await statuses(url, 3, { headers: { 'x-account': 'acct-1' } }), [200, 200, 429]);
    assert.deepEqual(await statuses(url, 4, { headers: { 'x-account': 'acct-2' } }), [200, 200, 200, 429]);
    assert.deepEqual(await statuses(url, 2, { headers: { 'x-account': 'acct-3' } }), [200, 429]);
  });
});

describe('policy(req)', () => {
  it('returns rules for a request; undefined leaves it to policies; invalid rules reach the error handler', async () => {
    const plans: Record<string, readonly RateLimitRule[]> = { gold: [burst(4)], broken: [{ name: 'bad', endpoint: '*', period: '10 min', limit: 1 }] };
    let calls = 0;
    const { url, errors } = await app({
      rules: [burst(1)],
      policies: [{ client: '192.0.2.0/24', rules: [burst(2)] }],
      policy: (req) => {
        calls++;
        return plans[String(req.headers['x-plan'])];
      },
    });
    assert.deepEqual(await statuses(url, 5, { ip: '192.0.2.1', headers: { 'x-plan': 'gold' } }), [200, 200, 200, 200, 429], 'the function wins over the range');
    assert.deepEqual(await statuses(url, 1, { ip: '192.0.2.2' }), [200]);
    assert.deepEqual(await statuses(url, 1, { ip: '192.0.2.2' }), [200], 'no plan: the range policy (2)');
    assert.deepEqual(await statuses(url, 2, { ip: '198.51.100.2' }), [200, 429], 'no plan, no range: the general rules');
    assert.equal(calls, 9);
    const broken = await send(url, { ip: '198.51.100.3', headers: { 'x-plan': 'broken' } });
    assert.equal(broken.status, 500);
    assert.ok(errors.at(-1) instanceof OptionsError);
    assert.match(String((errors.at(-1) as Error).message), /policy\(req\)\[0\]\.period: "10 min" is not a period/);
  });
});

describe('update() and policies', () => {
  it('a policy added or removed live keeps the counter of a rule whose name is unchanged', async () => {
    const { url, limiter } = await app({ rules: [burst(2)] });
    const ip = '198.51.100.50';
    assert.deepEqual(await statuses(url, 3, { ip }), [200, 200, 429]);
    limiter.update({ policies: [{ client: ip, rules: [burst(4)] }] });
    assert.deepEqual(await statuses(url, 3, { ip }), [200, 200, 429], 'counted on from 2 to 4');
    limiter.update({ policies: [] });
    assert.deepEqual(await statuses(url, 1, { ip }), [429], 'back to 2 with 4 counted');
  });
});

describe('bad policies are OptionsErrors with the option path and the fix', () => {
  const cases: [string, RateLimitOptions, string, RegExp][] = [
    ['both', { clientKey: 'header:X-Api-Key', policies: [{ client: 'a', clientSha256: sha('a'), rules: [burst(1)] }] }, 'policies[0]', /has both client and clientSha256; .*keep client .* or clientSha256/],
    ['neither', { policies: [{ rules: [burst(1)] }] }, 'policies[0]', /give client .* or clientSha256/],
    ['invalid CIDR', { policies: [{ client: '10.0.0.0/33', rules: [burst(1)] }] }, 'policies[0].client', /"10\.0\.0\.0\/33" has prefix length "33"/],
    ['value with ip keys', { policies: [{ client: 'partner', rules: [burst(1)] }] }, 'policies[0].client', /with ClientKey "ip" a client is its address/],
    ['hash with ip keys', { policies: [{ clientSha256: sha('a'), rules: [burst(1)] }] }, 'policies[0].clientSha256', /clientKey is "ip": write the address/],
    ['non-hex hash', { clientKey: 'header:K', policies: [{ clientSha256: 'x'.repeat(64), rules: [burst(1)] }] }, 'policies[0].clientSha256', /characters other than 0-9 and a-f/],
    ['short hash', { clientKey: 'header:K', policies: [{ clientSha256: 'a'.repeat(40), rules: [burst(1)] }] }, 'policies[0].clientSha256', /has 40 characters, not 64/],
    ['same client twice', { policies: [{ client: '10.0.0.1', rules: [burst(1)] }, { client: '10.0.0.1/32', rules: [burst(2)] }] }, 'policies[1].client', /matches the same client as policies\[0\]/],
    ['no rules', { policies: [{ client: '10.0.0.1', rules: [] }] }, 'policies[0].rules', /needs at least one rule/],
    ['unknown mode', { policies: [{ client: '10.0.0.1', rules: [{ ...burst(1), mode: 'Monitr' as 'Monitor' }] }] }, 'policies[0].rules[0].mode', /did you mean "Monitor"/],
    ['rule without name', { policies: [{ client: '10.0.0.1', rules: [{ endpoint: '*', period: '1s', limit: 1 } as RateLimitRule] }] }, 'policies[0].rules[0].name', /is not a rule name/],
    ['typo', { policies: [{ clinet: '10.0.0.1', rules: [burst(1)] } as never] }, 'policies[0].clinet', /Did you mean "client"/],
  ];
  for (const [name, options, path, message] of cases) {
    it(name, () => {
      assert.throws(
        () => rateLimit(options),
        (error: unknown) => error instanceof OptionsError && error.path === path && message.test(error.message) && /^ERR_RATE_LIMIT_/.test(error.code),
      );
    });
  }
});
