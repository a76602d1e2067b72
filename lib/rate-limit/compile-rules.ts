/**
 * Rules as the limiter runs them: each one checked with lib/core's grammar (so options accept exactly
 * what appsettings.json accepts) and compiled once, with a slot that is stable per rule name for the
 * life of the limiter. Also how a policy's rules merge over the general ones.
 */
import { DEFAULT_RULES, parseEndpoint, parsePeriod, parseRuleMode, parseRuleName, type KeysEnum, type RateLimitRule } from '../core/index.js';
import { compileEndpoint } from './endpoint.js';
import { kit } from './kit.js';
import type { CompiledRule } from './rule-set.js';

const RULE_KEYS: KeysEnum<RateLimitRule> = { name: true, endpoint: true, period: true, limit: true, mode: true };

/**
 * Checks and compiles `value` (undefined: the defaults) found at `path`. `canonical` spells a name the
 * way the rule it replaces spells it (a policy's `Burst` replaces and counts with the general `burst`).
 */
export function compileRules(
  value: unknown,
  slotFor: (name: string) => number,
  path = 'rules',
  canonical: (name: string) => string = (name) => name,
): CompiledRule[] {
  const rules = value === undefined ? DEFAULT_RULES : kit.list(value, path);
  const seen = new Map<string, number>();
  return rules.map((rule, index) => {
    const at = `${path}[${index}]`;
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
      kit.fail('RULE', at, 'expected a rule { name, endpoint, period, limit }.');
    }
    const given = kit.object(rule as RateLimitRule, RULE_KEYS, at);
    const name = canonical(kit.parsed(given.name, parseRuleName(given.name), 'RULE', `${at}.name`));
    // Case-insensitively, as the config loader compares them: `Burst` and `burst` would be one name to a reader.
    const first = seen.get(name.toLowerCase());
    if (first !== undefined) kit.fail('RULE', `${at}.name`, `"${name}" is the name of ${path}[${first}] too; rule names must be unique.`);
    seen.set(name.toLowerCase(), index);
    const period = kit.parsed(given.period, parsePeriod(given.period), 'PERIOD', `${at}.period`);
    const limit = given.limit;
    if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
      kit.fail('RULE', `${at}.limit`, `expected the requests admitted per period, a positive whole number (e.g. 100), got ${JSON.stringify(limit)}.`);
    }
    const endpoint = kit.parsed(given.endpoint, parseEndpoint(given.endpoint), 'ENDPOINT', `${at}.endpoint`);
    const mode = given.mode === undefined ? 'Enforce' : kit.parsed(given.mode, parseRuleMode(given.mode), 'RULE', `${at}.mode`);
    return Object.freeze({
      name,
      limit,
      periodMs: period.ms,
      period: period.text,
      slot: slotFor(name),
      monitor: mode === 'Monitor',
      endpoint: compileEndpoint(endpoint),
      mode,
    });
  });
}

/**
 * A client's rules: the general rules with those of `own` that share their name (ignoring case) put
 * in their place, then `own`'s new names. Checked and compiled at `path`.
 */
export function mergeRules(
  general: readonly CompiledRule[],
  own: unknown,
  slotFor: (name: string) => number,
  path: string,
  allowEmpty = false,
): CompiledRule[] {
  if (own === undefined) kit.fail('RULE', path, 'is missing: a policy needs its rules: [{ name, endpoint, period, limit }].');
  const names = new Map(general.map((rule) => [rule.name.toLowerCase(), rule.name]));
  const compiled = compileRules(own, slotFor, path, (name) => names.get(name.toLowerCase()) ?? name);
  if (compiled.length === 0 && !allowEmpty) kit.fail('RULE', path, 'a policy needs at least one rule (one that replaces a general rule by its name, or a new one).');
  const byName = new Map(compiled.map((rule) => [rule.name, rule]));
  const merged = general.map((rule) => byName.get(rule.name) ?? rule);
  for (const rule of compiled) if (!names.has(rule.name.toLowerCase())) merged.push(rule);
  return merged;
}
