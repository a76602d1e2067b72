/**
 * Turns user options into the limiter's working state, validating everything up front: a bad
 * option throws OptionsError at construction (or update()), never during a request. Values use
 * lib/core's grammar, so `rateLimit()` accepts exactly what appsettings.json accepts.
 */
import type { Request } from 'express';
import {
  answerRefusal,
  DEFAULT_QUOTA_TEMPLATE,
  DEFAULT_STORE_TIMEOUT_MS,
  parseEndpoint,
  parseKeyPrefix,
  parseQuotaMessage,
  silentSink,
  type KeysEnum,
  type LogSink,
  type QuotaMessage,
} from '../core/index.js';
import { type ClientKeyResolver, clientKeyResolver } from './client-key.js';
import { compileRules } from './compile-rules.js';
import { compileEndpoint } from './endpoint.js';
import { IpWhitelist } from './ip-whitelist.js';
import { kit } from './kit.js';
import { limiterMetrics, type LimiterMetrics } from './metrics.js';
import type { RateLimitHandler, RateLimitHeaders, RateLimitOptions } from './options.js';
import { type PolicyContext, PolicyBook, PolicyFunction } from './policies.js';
import { type CompiledRule, RuleMatcher } from './rule-set.js';
import type { RateLimitStore } from './store.js';

export interface LimiterState {
  readonly enabled: boolean;
  readonly rules: readonly CompiledRule[];
  readonly matcher: RuleMatcher;
  readonly key: (req: Request) => string;
  /** How client keys are made (for policies, inspect() and reset()). */
  readonly keys: ClientKeyResolver;
  /** Per-client policies from options, or null when none are given. */
  readonly policies: PolicyBook | null;
  /** The `policy(req)` function, or null. */
  readonly policyFunction: PolicyFunction | null;
  /** `skip(req)`, or null. */
  readonly skip: ((req: Request) => boolean) | null;
  /**
   * True when skip, policies or a policy function is set: the request goes the longer way. Decided
   * here, once, so a limiter without them does not pay for them per request.
   */
  readonly perClient: boolean;
  readonly message: QuotaMessage;
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
  skip: true,
  policies: true,
  policy: true,
  monitoredInHeaders: true,
  message: true,
  registry: true,
};
const HEADER_MODES: readonly RateLimitHeaders[] = ['draft-10', 'legacy', 'both', 'none'];

/** Validates options. `slotFor` gives each rule name a stable slot for the life of the limiter. */
export function resolveOptions(options: RateLimitOptions, slotFor: (name: string) => number): LimiterState {
  const given = kit.object(options, OPTION_KEYS);
  const rules = compileRules(given.rules, slotFor);
  const endpointWhitelist = kit
    .list(given.endpointWhitelist, 'endpointWhitelist')
    .map((entry, i) => compileEndpoint(kit.parsed(entry, parseEndpoint(entry), 'ENDPOINT', `endpointWhitelist[${i}]`)));
  const resolver = clientKeyResolver(given.clientKey, 'clientKey');
  const monitoredInHeaders = kit.boolean(given.monitoredInHeaders, false, 'monitoredInHeaders');
  const context: PolicyContext = { general: rules, whitelist: endpointWhitelist, slotFor, monitoredInHeaders };
  const policyEntries = kit.list(given.policies, 'policies');
  const policies = policyEntries.length === 0 ? null : new PolicyBook(policyEntries, resolver, context);
  const policyFn = kit.func<NonNullable<RateLimitOptions['policy']>>(given.policy, 'policy');
  const skip = kit.func<NonNullable<RateLimitOptions['skip']>>(given.skip, 'skip') ?? null;
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
    matcher: new RuleMatcher(rules, endpointWhitelist, { monitoredInHeaders }),
    key: resolver.key,
    keys: resolver,
    policies,
    policyFunction: policyFn === undefined ? null : new PolicyFunction(policyFn, context),
    skip,
    perClient: skip !== null || policies !== null || policyFn !== undefined,
    message: given.message === undefined ? DEFAULT_QUOTA_TEMPLATE : kit.parsed(given.message, parseQuotaMessage(given.message), 'INVALID_OPTION', 'message'),
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
