/**
 * Reads AspNetCoreRateLimit's `IpRateLimitPolicies` (IpRules: an Ip and its rules) and
 * `ClientRateLimitPolicies` (ClientRules: a ClientId and its rules) and translates them into
 * `RateLimiting:Policies` leaves, with a warning where the semantics differ. As in AspNetCoreRateLimit
 * a policy rule for "*" replaces the general rule of the same period, so it takes that rule's name
 * (and counter); any other policy rule adds a window of its own.
 */
import { z } from 'zod';
import { parseIpRange, parsePeriod } from '../core/index.js';
import { DEFAULT_RULES } from './defaults.js';
import type { ConfigIssue } from './errors.js';
import { aspNetRuleSchema } from './ip-rate-limiting.js';
import { zodIssues, type Locator } from './issues.js';
import { EMPTY_ARRAY, type Entry, type FlatConfig, type LeafValue } from './layers.js';
import { canonicalSegments } from './schema-keys.js';
import { buildTree } from './tree.js';

const rules = z.array(aspNetRuleSchema, { error: 'is not an array; Rules is a list of { Endpoint, Period, Limit }' });
const text = z.string({ error: 'is not a string; put the value in double quotes' });
/** An address, a CIDR range, or AspNetCoreRateLimit's `from-to` range (translated with a warning: dropped). */
const ip = text.superRefine((value, ctx) => {
  const parts = value.split('-');
  if (parts.length === 2 && parts.every((part) => parseIpRange(part).ok && !part.includes('/'))) return;
  const range = parseIpRange(value);
  if (!range.ok) ctx.addIssue({ code: 'custom', message: range.problem });
});

const SOURCES = {
  IpRateLimitPolicies: {
    list: 'IpRules',
    id: 'Ip',
    schema: z.strictObject({ IpRules: z.array(z.strictObject({ Ip: ip, Rules: rules }), { error: 'is not an array; IpRules is a list of { Ip, Rules }' }).optional() }),
  },
  ClientRateLimitPolicies: {
    list: 'ClientRules',
    id: 'ClientId',
    schema: z.strictObject({
      ClientRules: z.array(z.strictObject({ ClientId: text, Rules: rules }), { error: 'is not an array; ClientRules is a list of { ClientId, Rules }' }).optional(),
    }),
  },
} as const;

export type PolicySection = keyof typeof SOURCES;
export const POLICY_SECTIONS = Object.keys(SOURCES) as PolicySection[];

interface Source {
  readonly section: PolicySection;
  readonly id: string;
  /** Segments of the item under its section, as written. */
  readonly from: readonly string[];
  readonly rules: readonly z.output<typeof aspNetRuleSchema>[];
}

export interface PolicyTranslation {
  readonly entries: readonly Entry[];
  readonly warnings: readonly string[];
  readonly issues: readonly ConfigIssue[];
}

/** Translates both sections (after IpRateLimiting's GeneralRules, whose names policy rules take). */
export function translatePolicies(flat: FlatConfig, locator: Locator): PolicyTranslation {
  const issues: ConfigIssue[] = [];
  const sources: Source[] = [];
  for (const section of POLICY_SECTIONS) {
    if (flat.under([section]).length === 0) continue;
    const spec = SOURCES[section];
    const tree = buildTree(flat.under([section]).map((entry) => ({ ...entry, segments: canonicalSegments(spec.schema, entry.segments.slice(1)) })));
    const parsed = spec.schema.safeParse(tree.value);
    if (!parsed.success) {
      issues.push(...zodIssues(parsed.error, spec.schema, tree, locator, [section]));
      continue;
    }
    const items = (parsed.data as Record<string, readonly { readonly Rules: Source['rules'] }[] | undefined>)[spec.list] ?? [];
    const keys = tree.arrayKeys.get(spec.list.toLowerCase()) ?? [];
    items.forEach((item, i) => {
      const id = (item as unknown as Record<string, string>)[spec.id] as string;
      sources.push({ section, id: id.trim(), from: [spec.list, keys[i] ?? String(i)], rules: item.Rules });
    });
  }
  if (issues.length > 0) return { entries: [], warnings: [], issues };
  if (sources.length === 0) return { entries: [], warnings: [], issues };
  const named = POLICY_SECTIONS.filter((section) => flat.under([section]).length > 0).join(' and ');
  const warnings = [`${named} (AspNetCoreRateLimit) translated into RateLimiting:Policies; run \`express-api-guard doctor\` to see the result, then move them into RateLimiting:Policies`];
  if (flat.under(['RateLimiting', 'Policies']).some((entry) => entry.origin.kind !== 'defaults')) {
    warnings.push(`both RateLimiting:Policies and ${named} are present: RateLimiting:Policies wins and ${named} is not used`);
    return { entries: [], warnings, issues };
  }
  const clientKey = String(flat.get(['RateLimiting', 'ClientKey'])?.value ?? 'ip');
  const general = generalRules(flat);
  const entries: Entry[] = [];
  let index = 0;
  let addedWarned = false;
  for (const source of sources) {
    const where = `${source.section}:${source.from.join(':')}`;
    const origin = (segments: readonly string[]) => flat.get([source.section, ...source.from, ...segments])?.origin ?? flat.under([source.section, ...source.from])[0]?.origin;
    if (source.section === 'ClientRateLimitPolicies' && clientKey.toLowerCase() === 'ip') {
      warnings.push(
        `${where} (ClientId "${source.id}") was dropped: client policies match a header's value and RateLimiting:ClientKey is "ip"; set it to "header:X-ClientId" (ClientRateLimiting's ClientIdHeader) to apply them`,
      );
      continue;
    }
    if (source.section === 'IpRateLimitPolicies' && !parseIpRange(source.id).ok) {
      warnings.push(`${where} (Ip "${source.id}") is an address range, which is not supported, and was dropped; use CIDR blocks (e.g. "192.168.0.0/24")`);
      continue;
    }
    const target = ['RateLimiting', 'Policies', String(index++)];
    const push = (segments: readonly string[], value: LeafValue, fromSegments: readonly string[]): void => {
      const found = origin(fromSegments);
      if (found) entries.push({ segments: [...target, ...segments], value, origin: found, sourceSegments: [source.section, ...source.from, ...fromSegments] });
    };
    push(['Client'], source.id, [source.section === 'IpRateLimitPolicies' ? 'Ip' : 'ClientId']);
    // Kept empty, so validation says a policy needs a rule (rather than that Rules is missing).
    if (source.rules.length === 0) push(['Rules'], EMPTY_ARRAY, ['Rules']);
    source.rules.forEach((rule, r) => {
      const endpoint = rule.Endpoint.trim();
      const replaced = endpoint === '*' ? general.find((g) => g.Endpoint === '*' && periodMs(g.Period) === periodMs(rule.Period)) : undefined;
      if (replaced === undefined && !addedWarned) {
        addedWarned = true;
        warnings.push(
          `${named}: a policy rule replaces the general "*" rule of its period (as in AspNetCoreRateLimit); other policy rules (here ${where}:Rules:${r}) add a window of their own, counted for every request they match`,
        );
      }
      const from = ['Rules', String(r)];
      push(['Rules', String(r), 'Name'], replaced?.Name ?? `policy-${index - 1}-${r}-${rule.Period}`, from);
      push(['Rules', String(r), 'Endpoint'], endpoint === '*' ? '*' : endpoint.replace(/^[^:]+/, (m) => m.toLowerCase()), [...from, 'Endpoint']);
      push(['Rules', String(r), 'Period'], rule.Period, [...from, 'Period']);
      push(['Rules', String(r), 'Limit'], rule.Limit, [...from, 'Limit']);
      if (rule.MonitorMode === true) push(['Rules', String(r), 'Mode'], 'Monitor', [...from, 'MonitorMode']);
    });
  }
  return { entries, warnings, issues };
}

function periodMs(text: string): number {
  const period = parsePeriod(text);
  return period.ok ? period.value.ms : Number.NaN;
}

/** The general rules in effect: RateLimiting:Rules as the layers (and IpRateLimiting) set them, else the defaults. */
function generalRules(flat: FlatConfig): { Name: string; Endpoint: string; Period: string }[] {
  const leaves = flat.under(['RateLimiting', 'Rules']);
  if (leaves.length === 0) return DEFAULT_RULES.map((rule) => ({ ...rule }));
  const byIndex = new Map<string, Record<string, string>>();
  for (const leaf of leaves) {
    const [index, key] = leaf.segments.slice(2);
    if (index === undefined || key === undefined) continue;
    const rule = byIndex.get(index) ?? {};
    rule[key.toLowerCase()] = String(leaf.value);
    byIndex.set(index, rule);
  }
  return [...byIndex.values()].map((rule) => ({ Name: rule.name ?? '', Endpoint: (rule.endpoint ?? '').trim(), Period: rule.period ?? '' }));
}
