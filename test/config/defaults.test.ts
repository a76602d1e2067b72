import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../lib/config/index.js';
import { configDir } from './helpers.js';

test('defaults are exactly the documented default rules and settings', () => {
  const dir = configDir();
  const config = loadConfig({ dir, env: {} });
  assert.deepEqual(
    config.RateLimiting.Rules.map((r) => ({ ...r })),
    [
      { Name: 'burst', Endpoint: '*', Period: '1s', Limit: 20 },
      { Name: 'writes', Endpoint: 'post,put,patch,delete:*', Period: '1s', Limit: 5 },
      { Name: 'per-minute', Endpoint: '*', Period: '1m', Limit: 100 },
      { Name: 'per-10-minutes', Endpoint: '*', Period: '10m', Limit: 100 },
      { Name: 'per-hour', Endpoint: '*', Period: '1h', Limit: 1000 },
      { Name: 'per-12-hours', Endpoint: '*', Period: '12h', Limit: 1000 },
    ],
  );
  const { Rules: _rules, ...rest } = config.RateLimiting;
  assert.deepEqual(JSON.parse(JSON.stringify(rest)), {
    Enabled: true,
    ClientKey: 'ip',
    Store: 'memory',
    Redis: { Mode: 'standalone', Url: 'redis://127.0.0.1:6379', Nodes: [], KeyPrefix: 'rl:', OnError: 'open', TimeoutMs: 5000, Instances: 1 },
    StackBlockedRequests: false,
    HttpStatusCode: 429,
    IpWhitelist: [],
    ClientWhitelist: [],
    EndpointWhitelist: [],
    Headers: 'draft-10',
    MaxClients: 100000,
    Policies: [],
    MonitoredInHeaders: false,
  });
  assert.deepEqual(JSON.parse(JSON.stringify(config.Logging)), {
    LogLevel: { Default: 'Information' },
    DetailedTrace: false,
    Directory: join(dir, 'logs'),
    File: { MaxSize: '20m', MaxFiles: '14d' },
    Console: true,
  });
  assert.deepEqual({ ...config.Tracing }, { Format: 'aspnet', Header: 'X-Trace-Id', TrustTraceparent: false });
  assert.deepEqual({ ...config.Errors }, { Format: 'issuetrak', IncludeDetails: false });
  assert.deepEqual({ ...config.Https }, { Required: true, Hsts: true, HstsMaxAge: 31536000, AllowLoopbackInDevelopment: true });
  assert.deepEqual({ ...config.ConnectionStrings }, {});
  assert.equal(config.SessionSigningKey, undefined);
  assert.equal(config.environment, 'Production');
  assert.equal(config.environmentSource, 'default');
  assert.deepEqual(config.warnings, []);
  assert.deepEqual(
    config.sources.map((s) => ({ ...s })),
    [
      { kind: 'defaults', name: 'defaults', found: true },
      { kind: 'file', name: join(dir, 'appsettings.json'), found: false },
      { kind: 'file', name: join(dir, 'appsettings.Production.json'), found: false },
    ],
  );
});

test('the config is frozen all the way down', () => {
  const config = loadConfig({ dir: configDir({ 'appsettings.json': { MyApp: { Nested: { A: 1 } } } }), env: {} });
  assert.ok(Object.isFrozen(config));
  assert.ok(Object.isFrozen(config.RateLimiting.Rules));
  assert.ok(Object.isFrozen(config.RateLimiting.Rules[0]));
  assert.ok(Object.isFrozen(config.Logging.LogLevel));
  assert.ok(Object.isFrozen(config.section<{ Nested: object }>('myapp')?.Nested));
  assert.throws(() => {
    (config.RateLimiting as { Enabled: boolean }).Enabled = false;
  }, TypeError);
});

test('a file that sets Rules replaces the default rules; an empty Rules array means no rules', () => {
  const one = loadConfig({
    dir: configDir({ 'appsettings.json': { RateLimiting: { Rules: [{ Name: 'only', Endpoint: 'get:/api/*', Period: '1m', Limit: 10 }] } } }),
    env: {},
  });
  assert.deepEqual(one.RateLimiting.Rules.map((r) => r.Name), ['only']);
  const none = loadConfig({ dir: configDir({ 'appsettings.json': { RateLimiting: { Rules: [] } } }), env: {} });
  assert.deepEqual(none.RateLimiting.Rules, []);
});

test('relative Logging.Directory and certificate paths resolve against the config folder', () => {
  const dir = configDir({
    'appsettings.json': { Logging: { Directory: 'var/log' }, Https: { Certificate: { Path: 'tls/cert.pem', KeyPath: '/etc/key.pem' } } },
  });
  const config = loadConfig({ dir, env: {} });
  assert.equal(config.Logging.Directory, join(dir, 'var/log'));
  assert.deepEqual({ ...config.Https.Certificate }, { Path: join(dir, 'tls/cert.pem'), KeyPath: '/etc/key.pem' });
});
