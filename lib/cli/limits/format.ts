/** The text report of `express-api-guard limits show`: one line about the client, then a table of its rules. */
import type { ClientLimits } from '../../rate-limit/index.js';

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join('  ').trimEnd());
}

function seconds(ms: number): string {
  return ms <= 0 ? '-' : `${(Math.ceil(ms / 100) / 10).toFixed(1)} s`;
}

/** `policies[1]` (the limiter's option path) in the config's spelling. */
function policyName(policy: string | null): string {
  return policy === null ? 'none (the general rules)' : policy.replace(/^policies\[/, 'RateLimiting.Policies[');
}

export function formatLimits(limits: ClientLimits, where: string): string[] {
  const running = limits.rules.filter((rule) => rule.count > 0).length;
  return [
    `client ${limits.key}: policy ${policyName(limits.policy)}; ${running} of ${limits.rules.length} window(s) running (${where})`,
    ...table([
      ['rule', 'endpoint', 'mode', 'limit', 'period', 'count', 'remaining', 'resets in'],
      ...limits.rules.map((r) => [r.rule, r.endpoint, r.mode, String(r.limit), r.period, String(r.count), String(r.remaining), seconds(r.resetsInMs)]),
    ]),
  ];
}
