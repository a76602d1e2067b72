/**
 * RateLimiting.Policies, rule Mode, QuotaExceededMessage and MonitoredInHeaders from appsettings.json:
 * what loads, every bad input a user can write (located at file:line:column with a fix), and the
 * translation of AspNetCoreRateLimit's IpRateLimitPolicies and ClientRateLimitPolicies.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { loadConfig } from '../../lib/config/index.js';
import { assertLocated, configDir, configError } from './helpers.js';

const sha = (value: string): string => createHash('sha256').update(value).digest('hex');
const API_KEY = 'partner-key-7f3a9c1d';

/** Line and 1-based column of the first `needle` in `text` (what a located error must point at). */
function at(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} not in the text`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}

function load(text: string, env: Record<string, string> = {}) {
  return loadConfig({ dir: configDir({ 'appsettings.json': text }), env });
}

describe('RateLimiting.Policies and Mode in appsettings.json', () => {
  it('loads policies by CIDR, header value and SHA-256, a Monitor rule, a message and MonitoredInHeaders', () => {
    const config = load(
      JSON.stringify({
        RateLimiting: {
          ClientKey: 'header:X-Api-Key',
          Rules: [
            { Name: 'burst', Endpoint: '*', Period: '1s', Limit: 20 },
            { Name: 'trial', Endpoint: '*', Period: '1m', Limit: 60, Mode: 'monitor' },
          ],
          Policies: [
            { Client: '203.0.113.0/24', Rules: [{ Name: 'burst', Endpoint: '*', Period: '1s', Limit: 50 }] },
            { ClientSha256: sha(API_KEY).toUpperCase(), Rules: [{ Name: 'hourly', Endpoint: '*', Period: '1h', Limit: 10000, Mode: 'Enforce' }] },
            { Client: 'script-7', Rules: [{ Name: 'burst', Endpoint: '*', Period: '1s', Limit: 2 }] },
          ],
          MonitoredInHeaders: 'true',
          QuotaExceededMessage: 'Too many requests: {limit} per {period} ({rule}); retry in {retryAfter} s.',
        },
      }),
    );
    const rl = config.RateLimiting;
    assert.equal(rl.Rules[1]?.Mode, 'Monitor', 'canonical spelling');
    assert.equal(rl.Policies?.[1]?.ClientSha256, sha(API_KEY), 'lower-cased');
    assert.equal(rl.Policies?.[2]?.Client, 'script-7');
    assert.equal(rl.MonitoredInHeaders, true);
    assert.match(rl.QuotaExceededMessage ?? '', /\{retryAfter\}/);
    // A value that identifies a client under a secret header is a credential: masked like any secret.
    assert.ok(config.secretValues().includes('script-7'));
  });

  it('policies can be set from environment variables, merged by index', () => {
    const config = load('{ "RateLimiting": { "ClientKey": "ip" } }', {
      RateLimiting__Policies__0__Client: '10.1.0.0/16',
      RateLimiting__Policies__0__Rules__0__Name: 'burst',
      RateLimiting__Policies__0__Rules__0__Endpoint: '*',
      RateLimiting__Policies__0__Rules__0__Period: '1s',
      RateLimiting__Policies__0__Rules__0__Limit: '99',
    });
    assert.deepEqual(JSON.parse(JSON.stringify(config.RateLimiting.Policies)), [{ Client: '10.1.0.0/16', Rules: [{ Name: 'burst', Endpoint: '*', Period: '1s', Limit: 99 }] }]);
  });
});

interface BadCase {
  readonly name: string;
  readonly text: string;
  /** Where the error points: the first occurrence of this text. */
  readonly needle: string;
  readonly path: string;
  readonly hint: string | RegExp;
}

const rule = '{ "Name": "burst", "Endpoint": "*", "Period": "1s", "Limit": 50 }';
const policyIn = (clientKey: string, policy: string): string =>
  `{\n  "RateLimiting": {\n    "ClientKey": "${clientKey}",\n    "Policies": [\n      ${policy}\n    ]\n  }\n}\n`;

const BAD: readonly BadCase[] = [
  {
    name: 'a policy with both Client and ClientSha256',
    text: policyIn('header:X-Api-Key', `{ "Client": "203.0.113.9", "ClientSha256": "${sha(API_KEY)}", "Rules": [ ${rule} ] }`),
    needle: `"${sha(API_KEY)}"`,
    path: 'RateLimiting.Policies[0].ClientSha256',
    hint: 'is set together with Client; a policy is for one client: keep Client',
  },
  {
    name: 'a policy with neither',
    text: policyIn('ip', `{ "Rules": [ ${rule} ] }`),
    needle: '{ "Rules"',
    path: 'RateLimiting.Policies[0]',
    hint: 'has neither Client nor ClientSha256; say whom the policy is for',
  },
  {
    name: 'an invalid CIDR',
    text: policyIn('ip', `{ "Client": "203.0.113.0/33", "Rules": [ ${rule} ] }`),
    needle: '"203.0.113.0/33"',
    path: 'RateLimiting.Policies[0].Client',
    hint: 'has prefix length "33"; an IPv4 prefix is a whole number from 0 to 32',
  },
  {
    name: 'an invalid address with header keys (not taken for a header value)',
    text: policyIn('header:X-Api-Key', `{ "Client": "203.0.113.300", "Rules": [ ${rule} ] }`),
    needle: '"203.0.113.300"',
    path: 'RateLimiting.Policies[0].Client',
    hint: 'is not an IP address or CIDR range',
  },
  {
    name: 'a value as Client with ClientKey "ip"',
    text: policyIn('ip', `{ "Client": "partner", "Rules": [ ${rule} ] }`),
    needle: '"partner"',
    path: 'RateLimiting.Policies[0].Client',
    hint: 'with ClientKey "ip" a client is its address; to match a header value set ClientKey to "header:<Name>"',
  },
  {
    name: 'ClientSha256 with ClientKey "ip"',
    text: policyIn('ip', `{ "ClientSha256": "${sha(API_KEY)}", "Rules": [ ${rule} ] }`),
    needle: `"${sha(API_KEY)}"`,
    path: 'RateLimiting.Policies[0].ClientSha256',
    hint: 'but ClientKey is "ip"; write the address or CIDR range in Client',
  },
  {
    name: 'a hash that is not hex',
    text: policyIn('header:X-Api-Key', `{ "ClientSha256": "${'z'.repeat(64)}", "Rules": [ ${rule} ] }`),
    needle: `"${'z'.repeat(64)}"`,
    path: 'RateLimiting.Policies[0].ClientSha256',
    hint: /has characters other than 0-9 and a-f; use the 64 hexadecimal characters of the value's SHA-256 \(e\.g\. printf %s "\$API_KEY" \| sha256sum\)/,
  },
  {
    name: 'a hash of the wrong length',
    text: policyIn('header:X-Api-Key', `{ "ClientSha256": "${sha(API_KEY).slice(1)}", "Rules": [ ${rule} ] }`),
    needle: `"${sha(API_KEY).slice(1)}"`,
    path: 'RateLimiting.Policies[0].ClientSha256',
    hint: 'it has 63 characters, not 64',
  },
  {
    name: 'an unknown Mode',
    text: '{\n  "RateLimiting": {\n    "Rules": [ { "Name": "trial", "Endpoint": "*", "Period": "1m", "Limit": 60, "Mode": "Monitr" } ]\n  }\n}\n',
    needle: '"Monitr"',
    path: 'RateLimiting.Rules[0].Mode',
    hint: '"Monitr" is not a rule mode (did you mean "Monitor"?); use "Enforce"',
  },
  {
    name: 'a policy rule without a name',
    text: policyIn('ip', '{ "Client": "203.0.113.0/24", "Rules": [ { "Endpoint": "*", "Period": "1s", "Limit": 50 } ] }'),
    needle: '{ "Endpoint"',
    path: 'RateLimiting.Policies[0].Rules[0].Name',
    hint: 'is missing; give each rule a short unique name',
  },
  {
    name: 'a policy without rules',
    text: policyIn('ip', '{ "Client": "203.0.113.0/24", "Rules": [] }'),
    needle: '[] }',
    path: 'RateLimiting.Policies[0].Rules',
    hint: 'is empty; a policy needs at least one rule',
  },
  {
    name: 'two policies for one client',
    text: policyIn('ip', `{ "Client": "10.0.0.0/8", "Rules": [ ${rule} ] },\n      { "Client": "10.0.0.0/8", "Rules": [ ${rule} ] }`),
    needle: '"10.0.0.0/8", "Rules": [ { "Name": "burst", "Endpoint": "*", "Period": "1s", "Limit": 50 } ] }\n',
    path: 'RateLimiting.Policies[1].Client',
    hint: 'names the same client as Policies[0]; a client gets one policy: merge the two',
  },
  {
    name: 'an unknown key in a policy',
    text: policyIn('ip', `{ "Clinet": "10.0.0.1", "Rules": [ ${rule} ] }`),
    needle: '"Clinet"',
    path: 'RateLimiting.Policies[0].Clinet',
    hint: 'unknown key; did you mean "Client"?',
  },
  {
    name: 'a message with an unknown placeholder',
    text: '{\n  "RateLimiting": {\n    "QuotaExceededMessage": "Slow down: {lmit} per {period}."\n  }\n}\n',
    needle: '"Slow down',
    path: 'RateLimiting.QuotaExceededMessage',
    hint: 'has the unknown placeholder {lmit} (did you mean {limit}?)',
  },
  {
    name: 'a message the envelope would hide',
    text: '{\n  "RateLimiting": {\n    "QuotaExceededMessage": "Too many requests; see /docs/limits"\n  }\n}\n',
    needle: '"Too many',
    path: 'RateLimiting.QuotaExceededMessage',
    hint: 'would not be shown to clients',
  },
];

describe('bad policies, modes and messages are config errors at file:line:column with a fix', () => {
  for (const bad of BAD) {
    it(bad.name, () => {
      const error = configError(() => load(bad.text));
      // The second duplicate is located at its own Client (the needle's second occurrence).
      const text = bad.name === 'two policies for one client' ? bad.text.slice(0, bad.text.lastIndexOf('"10.0.0.0/8"')) + '\u0000' : bad.text;
      const position = bad.name === 'two policies for one client' ? at(text, '\u0000') : at(bad.text, bad.needle);
      assertLocated(error, { file: 'appsettings.json', ...position, path: bad.path, hint: bad.hint });
    });
  }
});

describe('AspNetCoreRateLimit IpRateLimitPolicies and ClientRateLimitPolicies are translated', () => {
  it('IpRules become policies; a "*" rule takes the name of the general rule of its period; MonitorMode becomes Mode', () => {
    const config = load(
      JSON.stringify({
        IpRateLimiting: { GeneralRules: [{ Endpoint: '*', Period: '1s', Limit: 2 }, { Endpoint: '*', Period: '1h', Limit: 100 }], QuotaExceededMessage: 'Quota: {0} per {1}.' },
        IpRateLimitPolicies: {
          IpRules: [
            { Ip: '84.247.85.224', Rules: [{ Endpoint: '*', Period: '1s', Limit: 10 }, { Endpoint: '*', Period: '1m', Limit: 30, MonitorMode: true }] },
            { Ip: '192.168.3.22/25', Rules: [{ Endpoint: 'GET:/api/values', Period: '1h', Limit: 5 }] },
            { Ip: '10.0.0.1-10.0.0.9', Rules: [{ Endpoint: '*', Period: '1s', Limit: 1 }] },
          ],
        },
      }),
    );
    const rl = config.RateLimiting;
    assert.deepEqual(JSON.parse(JSON.stringify(rl.Policies)), [
      {
        Client: '84.247.85.224',
        Rules: [
          { Name: 'general-0-1s', Endpoint: '*', Period: '1s', Limit: 10 },
          { Name: 'policy-0-1-1m', Endpoint: '*', Period: '1m', Limit: 30, Mode: 'Monitor' },
        ],
      },
      { Client: '192.168.3.22/25', Rules: [{ Name: 'policy-1-0-1h', Endpoint: 'get:/api/values', Period: '1h', Limit: 5 }] },
    ]);
    assert.equal(rl.QuotaExceededMessage, 'Quota: {0} per {1}.');
    const warnings = config.warnings.join('\n');
    assert.match(warnings, /IpRateLimitPolicies \(AspNetCoreRateLimit\) translated into RateLimiting:Policies/);
    assert.match(warnings, /"10\.0\.0\.1-10\.0\.0\.9"\) is an address range, which is not supported, and was dropped/);
    assert.match(warnings, /add a window of their own/);
    assert.equal(config.section('IpRateLimitPolicies'), undefined, 'ours, not a host section');
  });

  it('ClientRules become Client policies with a header client key, and are dropped with a warning while ClientKey is "ip"', () => {
    const section = { ClientRules: [{ ClientId: 'client-id-1', Rules: [{ Endpoint: '*', Period: '1m', Limit: 500 }] }] };
    const byHeader = load(JSON.stringify({ RateLimiting: { ClientKey: 'header:X-ClientId' }, ClientRateLimitPolicies: section }));
    assert.deepEqual(JSON.parse(JSON.stringify(byHeader.RateLimiting.Policies)), [
      { Client: 'client-id-1', Rules: [{ Name: 'per-minute', Endpoint: '*', Period: '1m', Limit: 500 }] },
    ]);
    const byIp = load(JSON.stringify({ ClientRateLimitPolicies: section }));
    assert.deepEqual(byIp.RateLimiting.Policies, []);
    assert.match(byIp.warnings.join('\n'), /ClientRules:0 \(ClientId "client-id-1"\) was dropped: .*set it to "header:X-ClientId"/);
  });

  it('a bad value in a translated policy is located in the AspNetCoreRateLimit section', () => {
    const text = '{\n  "IpRateLimitPolicies": {\n    "IpRules": [ { "Ip": "10.0.0.0/40", "Rules": [ { "Endpoint": "*", "Period": "1s", "Limit": 1 } ] } ]\n  }\n}\n';
    const error = configError(() => load(text));
    assertLocated(error, { file: 'appsettings.json', ...at(text, '"10.0.0.0/40"'), path: 'IpRateLimitPolicies.IpRules[0].Ip', hint: '"10.0.0.0/40" has prefix length "40"' });
    const typo = configError(() => load('{ "IpRateLimitPolicies": { "IpRules": [ { "Ipp": "10.0.0.1", "Rules": [] } ] } }'));
    assert.match(typo.message, /IpRateLimitPolicies\.IpRules\[0\]\.Ipp: unknown key; did you mean "Ip"\?/);
    const empty = configError(() => load('{ "IpRateLimitPolicies": { "IpRules": [ { "Ip": "10.0.0.1", "Rules": [] } ] } }'));
    assert.match(empty.message, /is empty; a policy needs at least one rule/);
  });

  it('RateLimiting:Policies wins over a translated section', () => {
    const config = load(
      JSON.stringify({
        RateLimiting: { Policies: [{ Client: '10.0.0.1', Rules: [{ Name: 'burst', Endpoint: '*', Period: '1s', Limit: 3 }] }] },
        IpRateLimitPolicies: { IpRules: [{ Ip: '10.0.0.2', Rules: [{ Endpoint: '*', Period: '1s', Limit: 9 }] }] },
      }),
    );
    assert.deepEqual(config.RateLimiting.Policies?.map((p) => p.Client), ['10.0.0.1']);
    assert.match(config.warnings.join('\n'), /RateLimiting:Policies wins/);
  });
});
