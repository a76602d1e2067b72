/**
 * Check 7: the effective rate-limit table (after every layer) and the loader's warnings, e.g. where a
 * translated AspNetCoreRateLimit section behaves differently from the original.
 */
import type { RateLimitPolicyConfig } from '../../config/index.js';
import { parseIpRange } from '../../core/index.js';
import { rateLimitOptionsFromConfig, validateRateLimitOptions } from '../../rate-limit/index.js';
import { type DoctorContext } from './context.js';
import { type DoctorCheck } from './types.js';

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join('  ').trimEnd());
}

/** Whom a policy is for, without printing a header value (it may be an API key). */
function whom(policy: RateLimitPolicyConfig): string {
  if (policy.ClientSha256 !== undefined) return `ClientSha256 ${policy.ClientSha256.slice(0, 12)}…`;
  return policy.Client !== undefined && parseIpRange(policy.Client).ok ? `Client ${policy.Client}` : 'Client: a header value';
}

export function checkRateLimitRules(context: DoctorContext): DoctorCheck {
  const base = { id: 'rate-limit-rules', title: 'rate-limit rules' } as const;
  const config = context.config;
  if (!config) {
    return {
      ...base,
      status: 'warn',
      detail: 'not shown: the configuration did not load (see the failures above)',
      fix: 'fix the configuration errors above and run doctor again',
    };
  }
  const section = config.RateLimiting;
  const warnings = [...config.warnings];
  try {
    // The limiter validates more than the loader (e.g. endpoint patterns); surface that here too.
    // Validated as a memory store: check 6 is the one that talks to Redis.
    validateRateLimitOptions(rateLimitOptionsFromConfig({ ...section, Store: 'memory' }));
  } catch (err) {
    return {
      ...base,
      status: 'fail',
      detail: `the rate limiter rejects the configuration: ${(err as Error).message}`,
      fix: 'correct the RateLimiting section as the message says',
    };
  }
  const rows = [['name', 'endpoint', 'period', 'limit', 'mode'], ...section.Rules.map((r) => [r.Name, r.Endpoint, r.Period, String(r.Limit), r.Mode ?? 'Enforce'])];
  const policies = section.Policies ?? [];
  const notes = [
    ...table(rows),
    ...policies.map((p, i) => `policy RateLimiting.Policies[${i}] (${whom(p)}): ${p.Rules.map((r) => `${r.Name} ${r.Limit} per ${r.Period}${r.Mode === 'Monitor' ? ' (Monitor)' : ''}`).join(', ')}`),
    ...warnings.map((w) => `warning: ${w}`),
  ];
  const summary =
    `${section.Rules.length} rule(s), ${policies.length} client polic${policies.length === 1 ? 'y' : 'ies'}, store ${section.Store}, client key ${section.ClientKey}, ` +
    `over-limit status ${section.HttpStatusCode}, headers ${section.Headers}`;
  if (!section.Enabled) {
    return { ...base, status: 'warn', detail: `rate limiting is disabled (RateLimiting.Enabled is false); ${summary}`, fix: 'set RateLimiting.Enabled to true unless this is intended', notes };
  }
  if (warnings.length > 0) {
    return { ...base, status: 'warn', detail: `${summary}; ${warnings.length} configuration warning(s)`, fix: 'see the warnings below', notes };
  }
  return { ...base, status: 'ok', detail: summary, notes };
}
