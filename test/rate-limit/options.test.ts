/** Option validation (typed errors with codes and precise messages) and update(). */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  MemoryStore,
  OptionsError,
  rateLimit,
  rateLimitOptionsFromConfig,
  RedisStore,
  validateRateLimitOptions,
  type RateLimitOptions,
} from '../../lib/rate-limit/index.js';
import type { RateLimitingConfig } from '../../lib/config/types.js';
import { fakeClock, send, startApp, statuses, type TestApp } from './helpers.js';

const apps: TestApp[] = [];
after(() => Promise.all(apps.map((app) => app.close())));

function rejects(options: unknown, code: string, path: string, message: RegExp): void {
  assert.throws(
    () => rateLimit(options as RateLimitOptions),
    (error: unknown) => {
      assert.ok(error instanceof OptionsError, `an OptionsError, got ${String(error)}`);
      assert.equal(error.code, code);
      assert.equal(error.path, path);
      assert.match(error.message, message);
      return true;
    },
  );
}

describe('validation at construction', () => {
  it('typo traps with suggestions', () => {
    rejects({ rule: [] }, 'ERR_RATE_LIMIT_UNKNOWN_OPTION', 'rule', /Did you mean "rules"\?/);
    rejects({ stackBlockedRequest: true }, 'ERR_RATE_LIMIT_UNKNOWN_OPTION', 'stackBlockedRequest', /"stackBlockedRequests"/);
    rejects({ rules: [{ name: 'a', endpoint: '*', period: '1s', limit: 1, limt: 2 }] }, 'ERR_RATE_LIMIT_UNKNOWN_OPTION', 'rules[0].limt', /"limit"/);
  });

  it('rules', () => {
    const rule = { name: 'a', endpoint: '*', period: '1s', limit: 1 };
    rejects({ rules: [{ ...rule, period: '10 min' }] }, 'ERR_RATE_LIMIT_PERIOD', 'rules[0].period', /"10 min" is not a period; use a number followed by s, m, h or d/);
    rejects({ rules: [{ ...rule, period: '500ms' }] }, 'ERR_RATE_LIMIT_PERIOD', 'rules[0].period', /not a period/);
    rejects({ rules: [rule, { ...rule, limit: 0, name: 'b' }] }, 'ERR_RATE_LIMIT_RULE', 'rules[1].limit', /positive whole number/);
    rejects({ rules: [rule, rule] }, 'ERR_RATE_LIMIT_RULE', 'rules[1].name', /unique/);
    rejects({ rules: [{ ...rule, name: 'has space' }] }, 'ERR_RATE_LIMIT_RULE', 'rules[0].name', /letters, digits/);
    rejects({ rules: [{ ...rule, endpoint: '/api/*' }] }, 'ERR_RATE_LIMIT_ENDPOINT', 'rules[0].endpoint', /write "\*:\/api\/\*"/);
    rejects({ rules: [{ ...rule, endpoint: 'get post:/x' }] }, 'ERR_RATE_LIMIT_ENDPOINT', 'rules[0].endpoint', /not an HTTP method/);
    rejects({ rules: [{ ...rule, endpoint: 'get:api' }] }, 'ERR_RATE_LIMIT_ENDPOINT', 'rules[0].endpoint', /must be "\*" or start with "\/"/);
  });

  it('other options', () => {
    rejects({ headers: 'draft10' }, 'ERR_RATE_LIMIT_INVALID_OPTION', 'headers', /Did you mean "draft-10"/);
    rejects({ onError: 'fail' }, 'ERR_RATE_LIMIT_INVALID_OPTION', 'onError', /"open".*"closed"/);
    rejects({ statusCode: 200 }, 'ERR_RATE_LIMIT_INVALID_OPTION', 'statusCode', /400 to 599/);
    rejects({ ipWhitelist: ['10.0.0.0/33'] }, 'ERR_RATE_LIMIT_IP_WHITELIST', 'ipWhitelist[0]', /0 to 32/);
    rejects({ ipWhitelist: ['localhost'] }, 'ERR_RATE_LIMIT_IP_WHITELIST', 'ipWhitelist[0]', /not an IP address or CIDR/);
    rejects({ clientKey: 'apikey' }, 'ERR_RATE_LIMIT_CLIENT_KEY', 'clientKey', /"header:<Header-Name>"/);
    rejects({ store: {} }, 'ERR_RATE_LIMIT_STORE', 'store', /hit\(\)/);
    rejects({ timeoutMs: -1 }, 'ERR_RATE_LIMIT_INVALID_OPTION', 'timeoutMs', /whole number/);
  });

  it('one MemoryStore cannot serve two limiters', async () => {
    const store = new MemoryStore();
    const first = rateLimit({ store });
    assert.throws(() => rateLimit({ store }), { code: 'ERR_RATE_LIMIT_STORE', message: /its own MemoryStore/ });
    await first.close();
  });

  it('validateRateLimitOptions checks without building a limiter; RedisStore refuses braces in the prefix', () => {
    assert.throws(() => validateRateLimitOptions({ rules: [{ name: 'a', endpoint: 'get', period: '1s', limit: 1 }] }), {
      code: 'ERR_RATE_LIMIT_ENDPOINT',
      path: 'rules[0].endpoint',
    });
    validateRateLimitOptions({});
    assert.throws(() => new RedisStore({ url: 'redis://127.0.0.1:1', keyPrefix: 'rl:{app}:' }), { code: 'ERR_RATE_LIMIT_STORE', message: /hash tag/ });
    assert.throws(() => new RedisStore({} as never), { code: 'ERR_RATE_LIMIT_STORE', message: /needs \{ client \}/ });
  });
});

describe('update()', () => {
  async function app(options: RateLimitOptions): Promise<TestApp> {
    const started = await startApp(options);
    apps.push(started);
    return started;
  }

  it('keeps counts of rules whose name is unchanged; a new limit applies at once', async () => {
    const clock = fakeClock();
    const { url, limiter } = await app({ clock: clock.now, rules: [{ name: 'minute', endpoint: '*', period: '1m', limit: 10 }] });
    assert.deepEqual(await statuses(url, 4), [200, 200, 200, 200]);
    limiter.update({ rules: [{ name: 'minute', endpoint: '*', period: '1m', limit: 4 }] });
    assert.equal((await send(url)).status, 429, 'already 4 counted');
    limiter.update({ rules: [{ name: 'minute', endpoint: '*', period: '1m', limit: 50 }] });
    assert.equal((await send(url)).headers.get('ratelimit'), '"minute";r=45;t=60', 'count continues at 5');
  });

  it('a renamed or new rule starts from zero; a removed rule stops counting', async () => {
    const clock = fakeClock();
    const { url, limiter } = await app({ clock: clock.now, rules: [{ name: 'a', endpoint: '*', period: '1m', limit: 2 }] });
    assert.deepEqual(await statuses(url, 3), [200, 200, 429]);
    limiter.update({ rules: [{ name: 'b', endpoint: '*', period: '1m', limit: 2 }] });
    assert.deepEqual(await statuses(url, 3), [200, 200, 429]);
    limiter.update({ rules: [{ name: 'b', endpoint: '*', period: '1m', limit: 3 }, { name: 'c', endpoint: 'post:*', period: '1s', limit: 1 }] });
    assert.deepEqual(await statuses(url, 1, { method: 'POST' }), [200]);
    assert.equal((await send(url)).status, 429, 'b holds 3');
  });

  it('a shortened period cuts the running window', async () => {
    const clock = fakeClock();
    const { url, limiter } = await app({ clock: clock.now, rules: [{ name: 'a', endpoint: '*', period: '1h', limit: 1 }] });
    await send(url);
    limiter.update({ rules: [{ name: 'a', endpoint: '*', period: '1m', limit: 1 }] });
    const refused = await send(url);
    assert.equal(refused.headers.get('retry-after'), '60');
  });

  it('invalid options throw and change nothing; enabled: false lets everything through', async () => {
    const { url, limiter } = await app({ rules: [{ name: 'a', endpoint: '*', period: '1m', limit: 1 }] });
    assert.throws(() => limiter.update({ rules: [{ name: 'a', endpoint: '*', period: 'soon', limit: 1 }] }), OptionsError);
    assert.deepEqual(await statuses(url, 2), [200, 429]);
    limiter.update({ enabled: false });
    assert.deepEqual(await statuses(url, 2), [200, 200]);
    limiter.update({ enabled: true, headers: 'legacy' });
    const refused = await send(url);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('x-rate-limit-remaining'), '0');
  });
});

describe('rateLimitOptionsFromConfig', () => {
  const section: RateLimitingConfig = {
    Enabled: true,
    ClientKey: 'header:X-Api-Key',
    Store: 'memory',
    Redis: { Mode: 'standalone', Url: 'redis://127.0.0.1:6379', Nodes: [], KeyPrefix: 'cfg:', OnError: 'closed', TimeoutMs: 150, Instances: 3 },
    StackBlockedRequests: true,
    HttpStatusCode: 429,
    IpWhitelist: ['10.0.0.0/8'],
    ClientWhitelist: ['k'],
    EndpointWhitelist: ['get:/health'],
    Headers: 'both',
    MaxClients: 5000,
    Rules: [{ Name: 'burst', Endpoint: '*', Period: '1s', Limit: 20 }, { Name: 'trial', Endpoint: 'get:*', Period: '1m', Limit: 60, Mode: 'Monitor' }],
    Policies: [{ ClientSha256: 'ab'.repeat(32), Rules: [{ Name: 'burst', Endpoint: '*', Period: '1s', Limit: 50 }] }],
    MonitoredInHeaders: true,
    QuotaExceededMessage: 'Slow down: {limit} per {period}.',
  };

  it('maps every PascalCase key', () => {
    const options = rateLimitOptionsFromConfig(section);
    assert.deepEqual(options, {
      enabled: true,
      rules: [
        { name: 'burst', endpoint: '*', period: '1s', limit: 20 },
        { name: 'trial', endpoint: 'get:*', period: '1m', limit: 60, mode: 'Monitor' },
      ],
      policies: [{ clientSha256: 'ab'.repeat(32), rules: [{ name: 'burst', endpoint: '*', period: '1s', limit: 50 }] }],
      monitoredInHeaders: true,
      message: 'Slow down: {limit} per {period}.',
      clientKey: 'header:X-Api-Key',
      store: 'memory',
      maxClients: 5000,
      stackBlockedRequests: true,
      statusCode: 429,
      ipWhitelist: ['10.0.0.0/8'],
      clientWhitelist: ['k'],
      endpointWhitelist: ['get:/health'],
      headers: 'both',
      onError: 'closed',
      timeoutMs: 150,
      instances: 3,
    });
    rateLimit(options).close();
  });

  it('Store "redis" builds a RedisStore from Redis.Url and KeyPrefix (connecting lazily)', async () => {
    const options = rateLimitOptionsFromConfig({ ...section, Store: 'redis' });
    assert.ok(options.store instanceof RedisStore);
    assert.equal(options.store.keyPrefix, 'cfg:');
    assert.equal(options.store.client.status, 'wait');
    await options.store.close();
  });
});
