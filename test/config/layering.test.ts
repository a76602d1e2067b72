import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { findEnvironmentFile, loadConfig, resolveEnvironment } from '../../lib/config/index.js';
import { configDir } from './helpers.js';

const base = {
  RateLimiting: {
    Store: 'memory',
    HttpStatusCode: 429,
    Rules: [
      { Name: 'a', Endpoint: '*', Period: '1s', Limit: 10 },
      { Name: 'b', Endpoint: '*', Period: '1m', Limit: 100 },
    ],
  },
  Logging: { LogLevel: { Default: 'Warning', RateLimiting: 'Debug' } },
  MyApp: { Feature: 'base', Keep: true },
};

test('layers apply in order: defaults, appsettings.json, environment file, variables, overrides', () => {
  const dir = configDir({
    'appsettings.json': base,
    'appsettings.Release.json': { RateLimiting: { HttpStatusCode: 503, Rules: [{ Limit: 20 }] }, MyApp: { Feature: 'release' } },
  });
  const config = loadConfig({
    dir,
    environment: 'Release',
    env: { RateLimiting__HttpStatusCode: '500', RATELIMITING__RULES__1__LIMIT: '200', PATH: '/usr/bin' },
    overrides: { rateLimiting: { httpStatusCode: 418 } },
  });
  assert.equal(config.RateLimiting.HttpStatusCode, 418);
  // Arrays merge by index: the environment file changes rule 0's Limit only, the variable rule 1's.
  assert.deepEqual(config.RateLimiting.Rules.map((r) => ({ ...r })), [
    { Name: 'a', Endpoint: '*', Period: '1s', Limit: 20 },
    { Name: 'b', Endpoint: '*', Period: '1m', Limit: 200 },
  ]);
  assert.equal(config.Logging.LogLevel.Default, 'Warning');
  assert.equal(config.Logging.LogLevel['RateLimiting'], 'Debug');
  assert.deepEqual(config.section('myapp'), { Feature: 'release', Keep: true });
  assert.deepEqual(
    config.sources.map((s) => ({ ...s })),
    [
      { kind: 'defaults', name: 'defaults', found: true },
      { kind: 'file', name: join(dir, 'appsettings.json'), found: true },
      { kind: 'file', name: join(dir, 'appsettings.Release.json'), found: true },
      { kind: 'env', name: 'environment variables', found: true, variables: ['RATELIMITING__RULES__1__LIMIT', 'RateLimiting__HttpStatusCode'] },
      { kind: 'overrides', name: 'overrides', found: true },
    ],
  );
});

test('the environment file is found case-insensitively; a missing one is reported, not an error', () => {
  const dir = configDir({ 'appsettings.json': base, 'appsettings.release.json': { MyApp: { Feature: 'lower-case file' } } });
  const config = loadConfig({ dir, env: { ASPNETCORE_ENVIRONMENT: 'Release' } });
  assert.equal(config.section<{ Feature: string }>('MyApp')?.Feature, 'lower-case file');
  assert.equal(config.sources[2]?.name, join(dir, 'appsettings.release.json'));
  assert.equal(findEnvironmentFile(dir, 'RELEASE'), join(dir, 'appsettings.release.json'));
  assert.equal(findEnvironmentFile(dir, 'Staging'), undefined);

  const staging = loadConfig({ dir, environment: 'Staging', env: {} });
  assert.deepEqual({ ...staging.sources[2] }, { kind: 'file', name: join(dir, 'appsettings.Staging.json'), found: false });
  assert.equal(staging.section<{ Feature: string }>('MyApp')?.Feature, 'base');
});

test('environment name: option, ASPNETCORE_ENVIRONMENT, DOTNET_ENVIRONMENT, NODE_ENV, Production', () => {
  const all = { ASPNETCORE_ENVIRONMENT: 'A', DOTNET_ENVIRONMENT: 'D', NODE_ENV: 'n' };
  assert.deepEqual(resolveEnvironment({ environment: 'Opt', env: all }), { name: 'Opt', source: 'option' });
  assert.deepEqual(resolveEnvironment({ env: all }), { name: 'A', source: 'ASPNETCORE_ENVIRONMENT' });
  assert.deepEqual(resolveEnvironment({ env: { ...all, ASPNETCORE_ENVIRONMENT: '' } }), { name: 'D', source: 'DOTNET_ENVIRONMENT' });
  assert.deepEqual(resolveEnvironment({ env: { NODE_ENV: 'test' } }), { name: 'test', source: 'NODE_ENV' });
  assert.deepEqual(resolveEnvironment({ env: {} }), { name: 'Production', source: 'default' });
  const config = loadConfig({ dir: configDir(), env: { DOTNET_ENVIRONMENT: 'Development' } });
  assert.equal(config.environment, 'Development');
  assert.equal(config.environmentSource, 'DOTNET_ENVIRONMENT');
});

test('environment variables: case-insensitive names, coerced types, new array items, host sections, unrelated names ignored', () => {
  const dir = configDir({ 'appsettings.json': base });
  const config = loadConfig({
    dir,
    env: {
      ratelimiting__enabled: 'FALSE',
      RateLimiting__Redis__TimeoutMs: '350',
      RateLimiting__Rules__2__Name: 'c',
      RateLimiting__Rules__2__Endpoint: 'get:/api/*',
      RateLimiting__Rules__2__Period: '1H',
      RateLimiting__Rules__2__Limit: '5',
      RateLimiting__IpWhitelist__0: '10.0.0.0/8',
      'ConnectionStrings__Issuetrak-Databse': 'Server=db;User Id=u;Password=hunter22',
      SessionSigningKey: 'signing-key-1',
      Logging__LogLevel__Default: 'debug',
      MyApp__Feature: 'from-env',
      OtherThing__Value: 'ignored',
      HOME: '/root',
    },
  });
  assert.equal(config.RateLimiting.Enabled, false);
  assert.equal(config.RateLimiting.Redis.TimeoutMs, 350);
  assert.deepEqual({ ...config.RateLimiting.Rules[2] }, { Name: 'c', Endpoint: 'get:/api/*', Period: '1h', Limit: 5 });
  assert.deepEqual([...config.RateLimiting.IpWhitelist], ['10.0.0.0/8']);
  assert.equal(config.ConnectionStrings['Issuetrak-Databse'], 'Server=db;User Id=u;Password=hunter22');
  assert.equal(config.SessionSigningKey, 'signing-key-1');
  assert.equal(config.Logging.LogLevel.Default, 'Debug');
  assert.equal(config.section<{ Feature: string }>('MyApp')?.Feature, 'from-env');
  assert.equal(config.section('OtherThing'), undefined);
  assert.ok(!config.sources.some((s) => s.variables?.includes('HOME')));
});

test('Azure-style SQLCONNSTR_ variables become ConnectionStrings', () => {
  const config = loadConfig({ dir: configDir(), env: { 'SQLCONNSTR_Issuetrak-Database': 'Server=db;Database=x' } });
  assert.equal(config.ConnectionStrings['Issuetrak-Database'], 'Server=db;Database=x');
});

test('keys in files are case-insensitive and come out in canonical spelling', () => {
  const dir = configDir({
    'appsettings.json': { ratelimiting: { httpstatuscode: 503, redis: { onerror: 'CLOSED' }, headers: 'Legacy', clientkey: 'Header:X-Api-Key' } },
  });
  const config = loadConfig({ dir, env: {} });
  assert.equal(config.RateLimiting.HttpStatusCode, 503);
  assert.equal(config.RateLimiting.Redis.OnError, 'closed');
  assert.equal(config.RateLimiting.Headers, 'legacy');
  assert.equal(config.RateLimiting.ClientKey, 'header:X-Api-Key');
});

test('overrides: highest layer, and an array given there replaces the whole array', () => {
  const dir = configDir({ 'appsettings.json': base });
  const config = loadConfig({
    dir,
    env: { RateLimiting__Rules__1__Limit: '7' },
    overrides: { RateLimiting: { Rules: [{ Name: 'x', Endpoint: '*', Period: '5s', Limit: 1 }] } },
  });
  assert.deepEqual(config.RateLimiting.Rules.map((r) => ({ ...r })), [{ Name: 'x', Endpoint: '*', Period: '5s', Limit: 1 }]);
});

test('null in a file leaves the lower layer value in place', () => {
  const dir = configDir({ 'appsettings.json': { Tracing: { Header: null } } });
  assert.equal(loadConfig({ dir, env: {} }).Tracing.Header, 'X-Trace-Id');
});

test('JSON as ASP.NET Core accepts it: BOM, CRLF, comments, trailing commas', () => {
  const text = '\uFEFF{\r\n  // line comment\r\n  /* block\r\n     comment */\r\n  "Tracing": { "Format": "w3c", },\r\n  "MyApp": [1, 2, 3,],\r\n}\r\n';
  const config = loadConfig({ dir: configDir({ 'appsettings.json': text }), env: {} });
  assert.equal(config.Tracing.Format, 'w3c');
  assert.deepEqual(config.section('MyApp'), [1, 2, 3]);
});

test('host sections pass through untouched and are read case-insensitively', () => {
  const myApp = { Name: 'x', List: [{ A: 1 }, { A: 2 }], Deep: { Deeper: { Flag: false } } };
  const config = loadConfig({ dir: configDir({ 'appsettings.json': { MyApp: myApp, AllowedHosts: '*' } }), env: {} });
  assert.deepEqual(config.section('MYAPP'), myApp);
  assert.equal(config.section('allowedhosts'), '*');
  assert.equal(config.section('Missing'), undefined);
});

test('host sections: numeric-keyed objects stay objects; env-only host sections need the section in a file', () => {
  const dir = configDir({ 'appsettings.json': { Messages: { '200': 'OK', '404': 'Not found' }, MyApp: {} } });
  const config = loadConfig({ dir, env: { MyApp__Flag: 'on', Unlisted__Flag: 'on' } });
  assert.deepEqual(config.section('Messages'), { '200': 'OK', '404': 'Not found' });
  assert.deepEqual(config.section('MyApp'), { Flag: 'on' });
  assert.equal(config.section('Unlisted'), undefined);
});
