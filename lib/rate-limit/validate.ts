/**
 * Turns user options into the limiter's working state, validating everything up front: a bad
 * option throws OptionsError at construction (or update()), never during a request. Values use
 * lib/core's grammar, so `rateLimit()` accepts exactly what appsettings.json accepts.
 */
import type { Request } from 'express';
import {
  answerRefusal,
  DEFAULT_RULES,
  DEFAULT_STORE_TIMEOUT_MS,
  parseEndpoint,
  parseKeyPrefix,
  parsePeriod,
  parseRuleName,
  silentSink,
  type KeysEnum,
  type LogSink,
  type RateLimitRule,
} from '../core/index.js';
import { clientKeyResolver } from './client-key.js';
import { compileEndpoint } from './endpoint.js';
import { IpWhitelist } from './ip-whitelist.js';
import { kit } from './kit.js';
import { limiterMetrics, type LimiterMetrics } from './metrics.js';
import type { RateLimitHandler, RateLimitHeaders, RateLimitOptions } from './options.js';
import { type CompiledRule, RuleMatcher } from './rule-set.js';
import type { RateLimitStore } from './store.js';

export interface LimiterState {
  readonly enabled: boolean;
  readonly rules: readonly CompiledRule[];
  readonly matcher: RuleMatcher;
  readonly key: (req: Request) => string;
  readonly ipWhitelist: IpWhitelist | null;
  readonly clientWhitelist: ReadonlySet<string> | null;
  readonly store: 'memory' | RateLimitStore;
  readonly maxClients: number;
  readonly stack: boolean;
  readonly statusCode: number;
  readonly headers: RateLimitHeaders;
  readonly onError: 'open' | 'closed';
  readonly timeoutMs: number;
  /** Processes sharing the store; the fallback grants ceil(limit / instances). */
  readonly instances: number;
  /** Put before the client's key in a shared store ('' when not set). */
  readonly keyPrefix: string;
  /** True when `keyPrefix` was given (sharing counters with another limiter is then on purpose). */
  readonly keyPrefixExplicit: boolean;
  readonly clock: () => number;
  readonly logger: LogSink;
  readonly handler: RateLimitHandler;
  readonly metrics: LimiterMetrics;
}

const OPTION_KEYS: KeysEnum<RateLimitOptions> = {
  enabled: true,
  rules: true,
  clientKey: true,
  store: true,
  maxClients: true,
  stackBlockedRequests: true,
  statusCode: true,
  ipWhitelist: true,
  clientWhitelist: true,
  endpointWhitelist: true,
  headers: true,
  onError: true,
  timeoutMs: true,
  instances: true,
  keyPrefix: true,
  clock: true,
  logger: true,
  handler: true,
  registry: true,
};
const RULE_KEYS: KeysEnum<RateLimitRule> = { name: true, endpoint: true, period: true, limit: true };
const HEADER_MODES: readonly RateLimitHeaders[] = ['draft-10', 'legacy', 'both', 'none'];

function compileRules(value: unknown, slotFor: (name: string) => number): CompiledRule[] {
  const rules = value === undefined ? DEFAULT_RULES : kit.list(value, 'rules');
  const seen = new Map<string, number>();
  return rules.map((rule, index) => {
    const path = `rules[${index}]`;
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
      kit.fail('RULE', path, 'expected a rule { name, endpoint, period, limit }.');
    }
    const given = kit.object(rule as RateLimitRule, RULE_KEYS, path);
    const name = kit.parsed(given.name, parseRuleName(given.name), 'RULE', `${path}.name`);
    // Case-insensitively, as the config loader compares them: `Burst` and `burst` would be one name to a reader.
    const first = seen.get(name.toLowerCase());
    if (first !== undefined) kit.fail('RULE', `${path}.name`, `"${name}" is the name of rules[${first}] too; rule names must be unique.`);
    seen.set(name.toLowerCase(), index);
    const period = kit.parsed(given.period, parsePeriod(given.period), 'PERIOD', `${path}.period`);
    const limit = given.limit;
    if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
      kit.fail('RULE', `${path}.limit`, `expected the requests admitted per period, a positive whole number (e.g. 100), got ${JSON.stringify(limit)}.`);
    }
    const endpoint = kit.parsed(given.endpoint, parseEndpoint(given.endpoint), 'ENDPOINT', `${path}.endpoint`);
    return Object.freeze({ name, limit, periodMs: period.ms, period: period.text, slot: slotFor(name), endpoint: compileEndpoint(endpoint) });
  });
}

/** Validates options. `slotFor` gives each rule name a stable slot for the life of the limiter. */
export function resolveOptions(options: RateLimitOptions, slotFor: (name: string) => number): LimiterState {
  const given = kit.object(options, OPTION_KEYS);
  const rules = compileRules(given.rules, slotFor);
  const endpointWhitelist = kit
    .list(given.endpointWhitelist, 'endpointWhitelist')
    .map((entry, i) => compileEndpoint(kit.parsed(entry, parseEndpoint(entry), 'ENDPOINT', `endpointWhitelist[${i}]`)));
  const resolver = clientKeyResolver(given.clientKey, 'clientKey');
  const clientEntries = kit.list(given.clientWhitelist, 'clientWhitelist').map((entry, i) => {
    if (typeof entry !== 'string' || entry === '') kit.fail('INVALID_OPTION', `clientWhitelist[${i}]`, `expected a non-empty string, got ${JSON.stringify(entry)}.`);
    return resolver.whitelistKey(entry as string);
  });
  const ipEntries = kit.list(given.ipWhitelist, 'ipWhitelist');
  const store = (given.store ?? 'memory') as LimiterState['store'];
  if (store !== 'memory' && (typeof store !== 'object' || store === null || typeof (store as RateLimitStore).hit !== 'function')) {
    kit.fail('STORE', 'store', `expected "memory" or a store with hit() (MemoryStore, RedisStore, ExpressRateLimitStoreAdapter), got ${JSON.stringify(store)}.`);
  }
  return {
    enabled: kit.boolean(given.enabled, true, 'enabled'),
    rules,
    matcher: new RuleMatcher(rules, endpointWhitelist),
    key: resolver.key,
    ipWhitelist: ipEntries.length === 0 ? null : new IpWhitelist(ipEntries, 'ipWhitelist'),
    clientWhitelist: clientEntries.length === 0 ? null : new Set(clientEntries),
    store,
    maxClients: kit.integer(given.maxClients, 100_000, 1, Number.MAX_SAFE_INTEGER, 'maxClients'),
    stack: kit.boolean(given.stackBlockedRequests, false, 'stackBlockedRequests'),
    statusCode: kit.integer(given.statusCode, 429, 400, 599, 'statusCode'),
    headers: kit.oneOf(given.headers, 'draft-10', HEADER_MODES, 'headers'),
    onError: kit.oneOf(given.onError, 'open', ['open', 'closed'], 'onError'),
    timeoutMs: kit.integer(given.timeoutMs, DEFAULT_STORE_TIMEOUT_MS, 1, 60_000, 'timeoutMs'),
    instances: kit.integer(given.instances, 1, 1, 10_000, 'instances'),
    keyPrefix: given.keyPrefix === undefined ? '' : kit.parsed(given.keyPrefix, parseKeyPrefix(given.keyPrefix), 'STORE', 'keyPrefix'),
    keyPrefixExplicit: given.keyPrefix !== undefined,
    clock: kit.func<() => number>(given.clock, 'clock') ?? Date.now,
    logger: kit.sink(given.logger, silentSink, 'logger'),
    handler: kit.func<RateLimitHandler>(given.handler, 'handler') ?? answerRefusal,
    metrics: limiterMetrics(given.registry),
  };
}

/**
 * Checks options the way `rateLimit()` would, without creating a limiter (for `doctor` and config
 * reload pre-checks). Throws OptionsError.
 */
export function validateRateLimitOptions(options: RateLimitOptions): void {
  resolveOptions(options, () => 0);
}
