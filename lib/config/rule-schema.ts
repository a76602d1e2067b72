/**
 * The rate-limit rules and per-client policies of `RateLimiting`, as zod schemas over lib/core's
 * grammar (the limiter checks the same values with the same functions), plus the checks that look
 * across a policy and the section: one client per policy, a value only where clients are keyed by
 * a value, no client with two policies.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parsePolicyClient } from '../core/index.js';
import { LIMIT_HINT, endpoint, integer, period, policyClient, ruleMode, ruleName, section, sha256Hex } from './zod-values.js';

export const ruleSchema = z.strictObject(
  {
    Name: ruleName,
    Endpoint: endpoint,
    Period: period,
    Limit: integer(1, Number.MAX_SAFE_INTEGER, LIMIT_HINT),
    Mode: ruleMode.optional(),
  },
  section('a rule'),
);

export const rulesSchema = z.array(ruleSchema, { error: 'is not an array; Rules is a list of { Name, Endpoint, Period, Limit }' }).superRefine(
  (list, ctx) => {
    const seen = new Map<string, number>();
    list.forEach((rule, index) => {
      const key = rule.Name.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) seen.set(key, index);
      else ctx.addIssue({ code: 'custom', path: [index, 'Name'], message: `duplicates the name of Rules[${first}]; rule names must be unique` });
    });
  },
);

const policySchema = z
  .strictObject(
    {
      Client: policyClient.optional(),
      ClientSha256: sha256Hex.optional(),
      Rules: rulesSchema.refine((list) => list.length > 0, {
        error: 'is empty; a policy needs at least one rule (named like a general rule to replace it, or a new one)',
      }),
    },
    section('a policy'),
  )
  .superRefine((policy, ctx) => {
    if (policy.Client !== undefined && policy.ClientSha256 !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['ClientSha256'],
        message: 'is set together with Client; a policy is for one client: keep Client (an address, range or value) or ClientSha256 (a value\'s SHA-256), not both',
      });
    } else if (policy.Client === undefined && policy.ClientSha256 === undefined) {
      ctx.addIssue({ code: 'custom', message: 'has neither Client nor ClientSha256; say whom the policy is for, e.g. "Client": "203.0.113.0/24"' });
    }
  });

export const policiesSchema = z.array(policySchema, { error: 'is not an array; Policies is a list of { Client or ClientSha256, Rules }' });

type Policy = z.output<typeof policySchema>;

/**
 * Checks Policies against ClientKey: with `ip` keys a client is an address (a value or a SHA-256
 * could never match), and no two policies may name the same client.
 */
export function checkPolicies(policies: readonly Policy[], clientKey: string, ctx: z.RefinementCtx): void {
  const byAddress = clientKey.toLowerCase() === 'ip';
  const owner = new Map<string, number>();
  policies.forEach((policy, index) => {
    // A policy with both is reported by the policy's own check; one problem per policy is enough.
    if (policy.Client !== undefined && policy.ClientSha256 !== undefined) return;
    let identity: string | undefined;
    if (policy.ClientSha256 !== undefined) {
      if (byAddress) {
        ctx.addIssue({
          code: 'custom',
          path: ['Policies', index, 'ClientSha256'],
          message: 'matches a client key header\'s value, but ClientKey is "ip"; write the address or CIDR range in Client, or set ClientKey to "header:<Name>"',
        });
        return;
      }
      identity = `value:${policy.ClientSha256}`;
    } else if (policy.Client !== undefined) {
      const client = parsePolicyClient(policy.Client, !byAddress);
      if (!client.ok) {
        ctx.addIssue({ code: 'custom', path: ['Policies', index, 'Client'], message: client.problem });
        return;
      }
      identity =
        client.value.kind === 'ip'
          ? `ip:${client.value.range.address}/${client.value.range.prefix}`
          : `value:${createHash('sha256').update(client.value.value).digest('hex')}`;
    }
    if (identity === undefined) return;
    const first = owner.get(identity);
    if (first === undefined) owner.set(identity, index);
    else {
      const at = policy.ClientSha256 !== undefined ? 'ClientSha256' : 'Client';
      ctx.addIssue({ code: 'custom', path: ['Policies', index, at], message: `names the same client as Policies[${first}]; a client gets one policy: merge the two` });
    }
  });
}
