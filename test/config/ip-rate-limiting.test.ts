import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../lib/config/index.js';
import { assertLocated, configDir, configError } from './helpers.js';

const aspnet = {
  IpRateLimiting: {
    EnableEndpointRateLimiting: false,
    StackBlockedRequests: true,
    RealIpHeader: 'X-Real-IP',
    ClientIdHeader: 'X-ClientId',
    HttpStatusCode: 503,
    IpWhitelist: ['127.0.0.1', '::1/128', '192.168.0.0-192.168.0.255'],
    EndpointWhitelist: ['get:/api/license', '*:/api/status'],
    ClientWhitelist: ['dev-id-1'],
    QuotaExceededResponse: { Content: '{{ "message": "Whoa!" }}', ContentType: 'application/json' },
    GeneralRules: [
      { Endpoint: '*', Period: '1s', Limit: 2 },
      { Endpoint: '*:/api/values', Period: '15m', Limit: 100 },
      { Endpoint: '*', Period: '12h', Limit: 1000 },
    ],
  },
};

test('IpRateLimiting is translated into RateLimiting with a warning per difference', () => {
  const config = loadConfig({ dir: configDir({ 'appsettings.json': aspnet }), env: {} });
  const rl = config.RateLimiting;
  assert.deepEqual(rl.Rules.map((r) => ({ ...r })), [
    { Name: 'general-0-1s', Endpoint: '*', Period: '1s', Limit: 2 },
    { Name: 'general-2-12h', Endpoint: '*', Period: '12h', Limit: 1000 },
  ]);
  assert.equal(rl.StackBlockedRequests, true);
  assert.equal(rl.HttpStatusCode, 503);
  assert.deepEqual([...rl.IpWhitelist], ['127.0.0.1', '::1/128']);
  assert.deepEqual([...rl.EndpointWhitelist], ['get:/api/license', '*:/api/status']);
  assert.deepEqual([...rl.ClientWhitelist], ['dev-id-1']);
  assert.equal(rl.ClientKey, 'ip');
  const warnings = config.warnings.join('\n');
  for (const expected of [
    /translated into RateLimiting/,
    /GeneralRules\[1\] \(Endpoint "\*:\/api\/values"\) was dropped: with EnableEndpointRateLimiting false/,
    /RealIpHeader \("X-Real-IP"\) is not used: .*trust proxy/,
    /"192\.168\.0\.0-192\.168\.0\.255" is an address range, which is not supported/,
    /QuotaExceededResponse is ignored; .*set RateLimiting:QuotaExceededMessage/,
    /ClientWhitelist is compared with the client key .* not with the X-ClientId header/,
    /X-Rate-Limit-\* headers/,
    /EndpointWhitelist: paths are matched whole or as globs/,
  ]) {
    assert.match(warnings, expected);
  }
  assert.equal(config.section('IpRateLimiting'), undefined);
});

test('EnableEndpointRateLimiting true keeps endpoint rules and warns about per-endpoint counters', () => {
  const dir = configDir({
    'appsettings.json': { IpRateLimiting: { EnableEndpointRateLimiting: true, GeneralRules: [{ Endpoint: 'GET:/api/values/*', Period: '1m', Limit: 5 }] } },
  });
  const config = loadConfig({ dir, env: {} });
  assert.deepEqual({ ...config.RateLimiting.Rules[0] }, { Name: 'general-0-1m', Endpoint: 'get:/api/values/*', Period: '1m', Limit: 5 });
  assert.match(config.warnings.join('\n'), /separate counter per verb and path/);
});

test('with both sections, RateLimiting wins where it sets a key and IpRateLimiting fills the rest', () => {
  const dir = configDir({
    'appsettings.json': {
      RateLimiting: { HttpStatusCode: 429 },
      IpRateLimiting: { HttpStatusCode: 503, StackBlockedRequests: true, GeneralRules: [{ Endpoint: '*', Period: '1s', Limit: 3 }] },
    },
  });
  const config = loadConfig({ dir, env: { RateLimiting__Rules__0__Name: 'mine', RateLimiting__Rules__0__Endpoint: '*', RateLimiting__Rules__0__Period: '2s', RateLimiting__Rules__0__Limit: '9' } });
  assert.equal(config.RateLimiting.HttpStatusCode, 429);
  assert.equal(config.RateLimiting.StackBlockedRequests, true);
  assert.deepEqual(config.RateLimiting.Rules.map((r) => r.Name), ['mine']);
  assert.match(config.warnings.join('\n'), /both RateLimiting and IpRateLimiting are present/);
});

test('no GeneralRules means the defaults apply, with a warning; DisableRateLimitHeaders maps to Headers none', () => {
  const config = loadConfig({ dir: configDir({ 'appsettings.json': { IpRateLimiting: { DisableRateLimitHeaders: true } } }), env: {} });
  assert.equal(config.RateLimiting.Rules.length, 6);
  assert.equal(config.RateLimiting.Headers, 'none');
  assert.match(config.warnings.join('\n'), /has no GeneralRules: AspNetCoreRateLimit would not limit at all/);
});

test('ClientRateLimiting is reported as not translated', () => {
  const config = loadConfig({ dir: configDir({ 'appsettings.json': { ClientRateLimiting: { ClientIdHeader: 'X-ClientId' } } }), env: {} });
  assert.match(config.warnings.join('\n'), /ClientRateLimiting \(AspNetCoreRateLimit\) is not translated/);
});

test('MonitorMode rules become Mode "Monitor"; QuotaExceededMessage is kept with its {0} {1} placeholders', () => {
  const config = loadConfig({
    dir: configDir({
      'appsettings.json': { IpRateLimiting: { QuotaExceededMessage: 'Max {0} per {1}; retry in {2} s.', GeneralRules: [{ Endpoint: '*', Period: '1m', Limit: 5, MonitorMode: true }] } },
    }),
    env: {},
  });
  assert.deepEqual({ ...config.RateLimiting.Rules[0] }, { Name: 'general-0-1m', Endpoint: '*', Period: '1m', Limit: 5, Mode: 'Monitor' });
  assert.equal(config.RateLimiting.QuotaExceededMessage, 'Max {0} per {1}; retry in {2} s.');
  assert.doesNotMatch(config.warnings.join('\n'), /MonitorMode|QuotaExceeded/);
});

test('bad IpRateLimiting values are located under IpRateLimiting, with did-you-mean for unknown keys', () => {
  const text = '{\n  "IpRateLimiting": {\n    "GeneralRules": [\n      { "Endpoint": "*", "Period": "15 min", "Limit": 100 }\n    ]\n  }\n}\n';
  const error = configError(() => loadConfig({ dir: configDir({ 'appsettings.json': text }), env: {} }));
  assertLocated(error, { file: 'appsettings.json', line: 4, column: 36, path: 'IpRateLimiting.GeneralRules[0].Period', hint: '"15 min" is not a period' });

  const typo = '{\n  "IpRateLimiting": {\n    "StackBlockedRequest": true\n  }\n}\n';
  const typoError = configError(() => loadConfig({ dir: configDir({ 'appsettings.json': typo }), env: {} }));
  assertLocated(typoError, { file: 'appsettings.json', line: 3, column: 5, path: 'IpRateLimiting.StackBlockedRequest', hint: 'did you mean "StackBlockedRequests"?' });
});
