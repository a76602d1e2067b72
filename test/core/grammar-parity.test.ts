/**
 * Config accepts exactly what the middleware accepts: one corpus per value language, fed to the
 * config loader (as an appsettings override) and to the middleware factory. A value one side takes
 * and the other refuses used to pass `doctor` and then stop the app at startup without a location.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../lib/config/index.js';
import { compileLevels } from '../../lib/logging/level-rules.js';
import { rateLimit } from '../../lib/rate-limit/index.js';
import { traceId } from '../../lib/trace/index.js';

const dir = mkdtempSync(join(tmpdir(), 'grammar-parity-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function configAccepts(overrides: unknown): boolean {
  try {
    loadConfig({ dir, env: {}, overrides });
    return true;
  } catch (error) {
    assert.equal((error as { name?: string }).name, 'ConfigError', String(error));
    return false;
  }
}

function runtimeAccepts(build: () => unknown): boolean {
  try {
    const built = build() as { close?: () => unknown };
    void built.close?.();
    return true;
  } catch (error) {
    assert.equal((error as { name?: string }).name, 'OptionsError', String(error));
    return false;
  }
}

interface Language {
  readonly name: string;
  readonly corpus: readonly unknown[];
  readonly config: (value: unknown) => unknown;
  readonly runtime: (value: unknown) => unknown;
}

const rule = { name: 'a', endpoint: '*', period: '1s', limit: 1 };
const Rule = { Name: 'a', Endpoint: '*', Period: '1s', Limit: 1 };
const long = (n: number) => 'a'.repeat(n);
const hex = 'ab12'.repeat(16);

/** A rule written for rateLimit() in appsettings spelling (name → Name, …). */
function pascal(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k[0]!.toUpperCase() + k.slice(1), v]));
}

const LANGUAGES: readonly Language[] = [
  {
    name: 'endpoint (rules and EndpointWhitelist)',
    corpus: [
      '*', ' * ', 'get:*', 'GET:/api/v2/*', 'post,put,patch,delete:*', '*:/api/*/notes', 'get:*/export', 'Get , Post :/x',
      'propfind:/dav/*', 'm-search:*', 'gett:/api/*', 'fetch:/x', 'get post:/x', ':/x', ',get:/x', 'get,:/x', '/api/*', 'get:api',
      'get:/a b', 'get:/a\tb', 'get:/a#b', 'get:/a?b', 'get:', 'get:/' + long(1024), 'get:/' + long(1100), '', '   ', 5, true,
    ],
    config: (v) => ({ RateLimiting: { Rules: [{ ...Rule, Endpoint: v }], EndpointWhitelist: [v] } }),
    runtime: (v) => rateLimit({ rules: [{ ...rule, endpoint: v as string }], endpointWhitelist: [v as string] }),
  },
  {
    name: 'period',
    corpus: ['1s', '10m', '12H', '1.5h', '7d', ' 15M ', '1.5s', '0s', '0.5m', '5', '10 min', '1w', '-1s', '', '9'.repeat(20) + 'd', 1, '60s'],
    config: (v) => ({ RateLimiting: { Rules: [{ ...Rule, Period: v }] } }),
    runtime: (v) => rateLimit({ rules: [{ ...rule, period: v as string }] }),
  },
  {
    name: 'rule name',
    corpus: ['burst', 'per-10-minutes', 'a.b_c', long(64), long(65), 'has space', 'ünï', '', 'a"b', 'x,y', 12],
    config: (v) => ({ RateLimiting: { Rules: [{ ...Rule, Name: v }] } }),
    runtime: (v) => rateLimit({ rules: [{ ...rule, name: v as string }] }),
  },
  {
    name: 'client key',
    corpus: ['ip', 'IP', ' ip ', 'header:X-Api-Key', 'Header:x-api-key', 'header:', 'header: ', 'header:X Api', 'header:' + long(64), 'header:' + long(65), 'apikey', 'cookie', ''],
    config: (v) => ({ RateLimiting: { ClientKey: v } }),
    runtime: (v) => rateLimit({ clientKey: v as 'ip' }),
  },
  {
    name: 'IP or CIDR',
    corpus: ['10.0.0.1', '10.0.0.0/8', '10.0.0.0/33', '::1', '2001:db8::/32', '2001:db8::/129', 'fe80::1%eth0', '10.0.0.0/08', '10.0.0.0/', 'localhost', '1.2.3.4/8/1', ' 10.0.0.1 ', '10.0.0.1-10.0.0.9', ''],
    config: (v) => ({ RateLimiting: { IpWhitelist: [v] } }),
    runtime: (v) => rateLimit({ ipWhitelist: [v as string] }),
  },
  {
    name: 'rule mode',
    corpus: ['Enforce', 'Monitor', 'monitor', 'MONITOR', ' Monitor ', 'Monitr', 'Enforced', 'off', '', 1, true],
    config: (v) => ({ RateLimiting: { Rules: [{ ...Rule, Mode: v }] } }),
    runtime: (v) => rateLimit({ rules: [{ ...rule, mode: v as 'Monitor' }] }),
  },
  {
    name: 'policy Client with ip keys',
    corpus: ['203.0.113.7', '203.0.113.0/24', '2001:db8::/32', ' 10.0.0.1 ', '10.0.0.0/33', '203.0.113.300', 'partner', '1.2.3.4/8/1', '', 5],
    config: (v) => ({ RateLimiting: { ClientKey: 'ip', Policies: [{ Client: v, Rules: [Rule] }] } }),
    runtime: (v) => rateLimit({ clientKey: 'ip', policies: [{ client: v as string, rules: [rule] }] }),
  },
  {
    name: 'policy Client with header keys',
    corpus: ['203.0.113.0/24', 'partner-key', ' spaced-key ', '203.0.113.300', '10.0.0.0/33', '::1/129', 'a:b:c', long(1024), long(1025), '', 7],
    config: (v) => ({ RateLimiting: { ClientKey: 'header:X-Api-Key', Policies: [{ Client: v, Rules: [Rule] }] } }),
    runtime: (v) => rateLimit({ clientKey: 'header:X-Api-Key', policies: [{ client: v as string, rules: [rule] }] }),
  },
  {
    name: 'policy ClientSha256',
    corpus: [hex, hex.toUpperCase(), ` ${hex} `, hex.slice(1), hex + 'a', 'z'.repeat(64), '', 12],
    config: (v) => ({ RateLimiting: { ClientKey: 'header:X-Api-Key', Policies: [{ ClientSha256: v, Rules: [Rule] }] } }),
    runtime: (v) => rateLimit({ clientKey: 'header:X-Api-Key', policies: [{ clientSha256: v as string, rules: [rule] }] }),
  },
  {
    name: 'policy rules',
    corpus: [
      [rule],
      [{ ...rule, name: 'burst', limit: 50 }, { name: 'extra', endpoint: 'get:*', period: '1h', limit: 9, mode: 'Monitor' }],
      [{ ...rule, name: 'A' }],
      [],
      [{ endpoint: '*', period: '1s', limit: 1 }],
      [rule, { ...rule }],
      [{ ...rule, period: '10 min' }],
      [{ ...rule, mode: 'Monitr' }],
      [{ ...rule, limit: 0 }],
    ],
    config: (v) => ({ RateLimiting: { Rules: [Rule], Policies: [{ Client: '10.0.0.1', Rules: (v as unknown[]).map(pascal) }] } }),
    runtime: (v) => rateLimit({ rules: [rule], policies: [{ client: '10.0.0.1', rules: v as [] }] }),
  },
  {
    name: 'quota exceeded message',
    corpus: ['Slow down.', 'Max {limit} per {period} ({rule}), retry in {retryAfter} s', 'Max {0} per {1}; {2} s', '{lmit} per {period}', '{}', 'see /docs/limits', 'a\nb', long(300), long(400), '', 5],
    config: (v) => ({ RateLimiting: { QuotaExceededMessage: v } }),
    runtime: (v) => rateLimit({ message: v as string }),
  },
  {
    name: 'header name (Tracing.Header)',
    corpus: ['X-Trace-Id', 'x-correlation-id', 'Request-Id', 'X Trace', 'X-Trace\r\nSet-Cookie: a', '', 'X-' + long(62), 'X-' + long(63), 'é', "x!#$%&'*+.^_`|~"],
    config: (v) => ({ Tracing: { Header: v } }),
    runtime: (v) => traceId({ header: v as string }),
  },
  {
    name: 'log level',
    corpus: ['Trace', 'debug', 'INFORMATION', ' Warning ', 'Error', 'Critical', 'None', 'Verbose', 'Info', 'warn', '', 3],
    config: (v) => ({ Logging: { LogLevel: { Default: v } } }),
    runtime: (v) => {
      try {
        return compileLevels({ Default: v }, false);
      } catch (error) {
        // The logger's own error type; re-thrown as the name runtimeAccepts expects.
        throw Object.assign(new TypeError(String(error)), { name: 'OptionsError' });
      }
    },
  },
];

describe('config and middleware accept the same values', () => {
  for (const language of LANGUAGES) {
    it(language.name, () => {
      const disagreements: string[] = [];
      let accepted = 0;
      for (const value of language.corpus) {
        const config = configAccepts(language.config(value));
        const runtime = runtimeAccepts(() => language.runtime(value));
        if (config !== runtime) disagreements.push(`${JSON.stringify(value)}: config ${config ? 'accepts' : 'refuses'}, middleware ${runtime ? 'accepts' : 'refuses'}`);
        if (config) accepted++;
      }
      assert.deepEqual(disagreements, []);
      // The corpus must exercise both sides, or the comparison proves nothing.
      assert.ok(accepted > 0 && accepted < language.corpus.length, `${accepted} of ${language.corpus.length} accepted`);
    });
  }
});
