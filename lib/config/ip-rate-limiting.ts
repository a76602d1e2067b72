/**
 * Reads an AspNetCoreRateLimit `IpRateLimiting` section and translates it into `RateLimiting`
 * leaves. The translation sits just above the defaults: anything a layer sets under `RateLimiting`
 * wins. Every place where AspNetCoreRateLimit would behave differently gets a warning.
 */
import { z } from 'zod';
import type { ConfigIssue } from './errors.js';
import { EMPTY_ARRAY, type Entry, type FlatConfig } from './layers.js';
import { type Locator, zodIssues } from './issues.js';
import { canonicalSegments } from './schema-keys.js';
import { buildTree } from './tree.js';
import { LIMIT_HINT, STATUS_HINT, boolean, endpoint, integer, period } from './zod-values.js';

const bool = boolean.optional();
const str = z.string({ error: 'is not a string; put the value in double quotes' }).optional();
const strings = z.array(z.string({ error: 'is not a string; put the value in double quotes' }), { error: 'is not an array; use a list of strings' }).optional();

/** One AspNetCoreRateLimit rule (GeneralRules, and the rules of its IP and client policies). */
export const aspNetRuleSchema = z.strictObject({
  Endpoint: endpoint,
  Period: period,
  Limit: integer(1, Number.MAX_SAFE_INTEGER, LIMIT_HINT),
  PeriodTimespan: z.unknown().optional(),
  QuotaExceededResponse: z.unknown().optional(),
  MonitorMode: bool,
});

/** AspNetCoreRateLimit's IpRateLimitOptions, as far as configuration can set them. */
export const ipRateLimitingSchema = z.strictObject({
  EnableEndpointRateLimiting: bool,
  StackBlockedRequests: bool,
  RealIpHeader: str,
  ClientIdHeader: str,
  HttpStatusCode: integer(400, 599, STATUS_HINT).optional(),
  IpWhitelist: strings,
  EndpointWhitelist: z.array(endpoint, { error: 'is not an array; use a list of endpoints' }).optional(),
  ClientWhitelist: strings,
  GeneralRules: z.array(aspNetRuleSchema, { error: 'is not an array; GeneralRules is a list of { Endpoint, Period, Limit }' }).optional(),
  QuotaExceededResponse: z.unknown().optional(),
  QuotaExceededMessage: str,
  RateLimitCounterPrefix: str,
  IpPolicyPrefix: str,
  DisableRateLimitHeaders: bool,
  EnableRegexRuleMatching: bool,
});

type IpRateLimiting = z.output<typeof ipRateLimitingSchema>;

export interface Translation {
  readonly entries: readonly Entry[];
  readonly warnings: readonly string[];
  readonly issues: readonly ConfigIssue[];
}

/** Translates `IpRateLimiting` leaves; returns issues instead of throwing so they join the others. */
export function translateIpRateLimiting(flat: FlatConfig, locator: Locator): Translation {
  const source = flat.under(['IpRateLimiting']).map((entry) => ({
    ...entry,
    segments: canonicalSegments(ipRateLimitingSchema, entry.segments.slice(1)),
  }));
  const tree = buildTree(source);
  const parsed = ipRateLimitingSchema.safeParse(tree.value);
  if (!parsed.success) {
    return { entries: [], warnings: [], issues: zodIssues(parsed.error, ipRateLimitingSchema, tree, locator, ['IpRateLimiting']) };
  }
  const ip = parsed.data;
  const warnings: string[] = [
    'IpRateLimiting (AspNetCoreRateLimit) was translated into RateLimiting; run `express-api-guard doctor` to see the result, then move the settings into a RateLimiting section',
  ];
  const entries: Entry[] = [];
  const originOf = (segments: readonly string[]) => flat.get(['IpRateLimiting', ...segments])?.origin ?? flat.under(['IpRateLimiting', ...segments])[0]?.origin;
  // Set by a real layer (file, variable, overrides); the defaults do not count.
  const isSet = (target: readonly string[]) => flat.under(['RateLimiting', ...target]).some((e) => e.origin.kind !== 'defaults');
  const setIfUnset = (target: string[], value: string | number | boolean, from: string[]) => {
    if (isSet(target)) return;
    const origin = originOf(from);
    if (origin) entries.push({ segments: ['RateLimiting', ...target], value, origin, sourceSegments: ['IpRateLimiting', ...from] });
  };
  const setList = (target: string, values: readonly string[], from: string) => {
    if (isSet([target])) return;
    values.forEach((value, i) => setIfUnset([target, String(i)], value, [from, String(tree.arrayKeys.get(from.toLowerCase())?.[i] ?? i)]));
  };

  if (isSet([])) {
    warnings.push(
      'both RateLimiting and IpRateLimiting are present: keys set in RateLimiting win, IpRateLimiting fills only what RateLimiting leaves unset (its GeneralRules are used only when no RateLimiting:Rules are set)',
    );
  }
  if (ip.StackBlockedRequests !== undefined) setIfUnset(['StackBlockedRequests'], ip.StackBlockedRequests, ['StackBlockedRequests']);
  if (ip.HttpStatusCode !== undefined) setIfUnset(['HttpStatusCode'], ip.HttpStatusCode, ['HttpStatusCode']);
  if (ip.DisableRateLimitHeaders === true) setIfUnset(['Headers'], 'none', ['DisableRateLimitHeaders']);
  else warnings.push('IpRateLimiting: AspNetCoreRateLimit sends X-Rate-Limit-* headers; express-api-guard sends IETF RateLimit/RateLimit-Policy headers by default. Set RateLimiting:Headers to "legacy" or "both" if clients read X-Rate-Limit-*');

  translateWhitelists(ip, warnings, setList);
  translateRules(ip, flat, warnings, tree.arrayKeys.get('generalrules') ?? [], entries, setIfUnset);

  if (ip.RealIpHeader !== undefined) {
    warnings.push(
      `IpRateLimiting:RealIpHeader ("${ip.RealIpHeader}") is not used: the client IP is Express's req.ip; behind a proxy set app.set('trust proxy', …) so X-Forwarded-For is honoured`,
    );
  }
  // Its {0} (limit), {1} (period) and {2} (retry after) placeholders mean the same in ours.
  if (ip.QuotaExceededMessage !== undefined) setIfUnset(['QuotaExceededMessage'], ip.QuotaExceededMessage, ['QuotaExceededMessage']);
  if (ip.QuotaExceededResponse !== undefined || ip.GeneralRules?.some((r) => r.QuotaExceededResponse !== undefined)) {
    warnings.push(
      'IpRateLimiting: QuotaExceededResponse is ignored; 429 bodies use the Errors:Format envelope (issuetrak or problem); to change the message inside it set RateLimiting:QuotaExceededMessage',
    );
  }
  if (ip.EnableRegexRuleMatching === true) {
    warnings.push('IpRateLimiting:EnableRegexRuleMatching is not supported: endpoints are globs ("*" matches any characters), not regular expressions');
  }
  if (ip.RateLimitCounterPrefix !== undefined || ip.IpPolicyPrefix !== undefined) {
    warnings.push('IpRateLimiting:RateLimitCounterPrefix/IpPolicyPrefix are ignored; store keys use RateLimiting:Redis:KeyPrefix');
  }
  return { entries, warnings, issues: [] };
}

function translateWhitelists(
  ip: IpRateLimiting,
  warnings: string[],
  setList: (target: string, values: readonly string[], from: string) => void,
): void {
  if (ip.IpWhitelist) {
    const ranges = ip.IpWhitelist.filter((entry) => entry.includes('-'));
    for (const range of ranges) {
      warnings.push(`IpRateLimiting:IpWhitelist entry "${range}" is an address range, which is not supported and was dropped; use CIDR blocks (e.g. "192.168.0.0/24")`);
    }
    setList('IpWhitelist', ip.IpWhitelist.filter((entry) => !entry.includes('-')), 'IpWhitelist');
  }
  if (ip.EndpointWhitelist) {
    setList('EndpointWhitelist', ip.EndpointWhitelist.map((e) => e.trim()), 'EndpointWhitelist');
    warnings.push('IpRateLimiting:EndpointWhitelist: paths are matched whole or as globs, not as prefixes, and with their case exactly as written; write "get:/api/status/*" to cover what is below a path');
  }
  if (ip.ClientWhitelist) {
    setList('ClientWhitelist', ip.ClientWhitelist, 'ClientWhitelist');
    warnings.push(
      `IpRateLimiting:ClientWhitelist is compared with the client key (RateLimiting:ClientKey, the IP unless set to "header:<Name>"), not with the ${ip.ClientIdHeader ?? 'X-ClientId'} header; set RateLimiting:ClientKey to "header:${ip.ClientIdHeader ?? 'X-ClientId'}" to whitelist by that header`,
    );
  }
}

function translateRules(
  ip: IpRateLimiting,
  flat: FlatConfig,
  warnings: string[],
  ruleKeys: readonly string[],
  entries: Entry[],
  setIfUnset: (target: string[], value: string | number | boolean, from: string[]) => void,
): void {
  if (flat.under(['RateLimiting', 'Rules']).length > 0) return;
  const rules = ip.GeneralRules ?? [];
  if (rules.length === 0) {
    warnings.push('IpRateLimiting has no GeneralRules: AspNetCoreRateLimit would not limit at all, express-api-guard applies its six default rules; set RateLimiting:Rules to [] to limit nothing');
    return;
  }
  const byEndpoint = ip.EnableEndpointRateLimiting === true;
  let index = 0;
  let perEndpointWarned = false;
  rules.forEach((rule, i) => {
    const from = ['GeneralRules', ruleKeys[i] ?? String(i)];
    const endpoint = rule.Endpoint.trim();
    if (!byEndpoint && endpoint !== '*') {
      warnings.push(
        `IpRateLimiting:GeneralRules[${i}] (Endpoint "${endpoint}") was dropped: with EnableEndpointRateLimiting false AspNetCoreRateLimit applies only "*" rules; set it to true to keep endpoint rules`,
      );
      return;
    }
    if (byEndpoint && endpoint !== '*' && !perEndpointWarned) {
      perEndpointWarned = true;
      warnings.push(
        'IpRateLimiting:EnableEndpointRateLimiting: AspNetCoreRateLimit keeps a separate counter per verb and path a rule matches; express-api-guard keeps one counter per rule and client for all requests the rule matches (write one rule per path to keep them apart)',
      );
    }
    const target = ['Rules', String(index++)];
    setIfUnset([...target, 'Name'], `general-${i}-${rule.Period}`, from);
    setIfUnset([...target, 'Endpoint'], endpoint === '*' ? '*' : endpoint.replace(/^[^:]+/, (m) => m.toLowerCase()), [...from, 'Endpoint']);
    setIfUnset([...target, 'Period'], rule.Period, [...from, 'Period']);
    setIfUnset([...target, 'Limit'], rule.Limit, [...from, 'Limit']);
    if (rule.MonitorMode === true) setIfUnset([...target, 'Mode'], 'Monitor', [...from, 'MonitorMode']);
  });
  if (index === 0) {
    warnings.push('IpRateLimiting: no GeneralRules were kept, so RateLimiting:Rules is empty and nothing is limited');
    const origin = flat.under(['IpRateLimiting', 'GeneralRules'])[0]?.origin;
    if (origin) entries.push({ segments: ['RateLimiting', 'Rules'], value: EMPTY_ARRAY, origin, sourceSegments: ['IpRateLimiting', 'GeneralRules'] });
  }
}
