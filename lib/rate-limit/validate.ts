/**
 * Turns user options into the limiter's working state, validating everything up front: a bad
 * option throws RateLimitOptionsError at construction (or update()), never during a request.
 */
import type { Request } from 'express';
import { type LogSink, silentSink } from '../logging/log-sink.js';
import { compileEndpoint } from './endpoint.js';
import { RateLimitOptionsError, suggest } from './errors.js';
import { clientKeyResolver } from './client-key.js';
import { IpWhitelist } from './ip-whitelist.js';
import { DEFAULT_RATE_LIMIT_RULES, type RateLimitHandler, type RateLimitHeaders, type RateLimitOptions } from './options.js';
import { parseRulePeriod } from './period.js';
import { type CompiledRule, RuleMatcher } from './rule-set.js';
import type { RateLimitStore } from './store.js';
import { checkKeyPrefix } from './key-namespace.js';
import { DEFAULTS } from '../config/defaults.js';

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
  readonly handler: RateLimitHandler | undefined;
}

const OPTION_NAMES: readonly (keyof RateLimitOptions)[] = [
  'enabled', 'rules', 'clientKey', 'store', 'maxClients', 'stackBlockedRequests', 'statusCode', 'ipWhitelist',
  'clientWhitelist', 'endpointWhitelist', 'headers', 'onError', 'timeoutMs', 'instances', 'keyPrefix', 'clock', 'logger',
  'handler',
];
const RULE_KEYS = ['name', 'endpoint', 'period', 'limit'];
const HEADER_MODES: readonly RateLimitHeaders[] = ['draft-10', 'legacy', 'both', 'none'];
const RULE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function fail(code: ConstructorParameters<typeof RateLimitOptionsError>[0], path: string, message: string): never {
  throw new RateLimitOptionsError(code, path, message);
}

function checkKeys(value: object, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      fail('ERR_RATE_LIMIT_UNKNOWN_OPTION', path === '' ? key : `${path}.${key}`, `unknown option.${suggest(key, allowed)} Known: ${allowed.join(', ')}.`);
    }
  }
}

function bool(value: unknown, fallback: boolean, path: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail('ERR_RATE_LIMIT_INVALID_OPTION', path, `expected true or false, got ${JSON.stringify(value)}.`);
  return value;
}

function integer(value: unknown, fallback: number, min: number, max: number, path: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail('ERR_RATE_LIMIT_INVALID_OPTION', path, `expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}.`);
  }
  return value;
}

function list(value: unknown, path: string): readonly unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail('ERR_RATE_LIMIT_INVALID_OPTION', path, `expected an array, got ${JSON.stringify(value)}.`);
  return value;
}

function compileRules(value: unknown, slotFor: (name: string) => number): CompiledRule[] {
  const rules = value === undefined ? DEFAULT_RATE_LIMIT_RULES : list(value, 'rules');
  const seen = new Set<string>();
  return rules.map((rule, index) => {
    const path = `rules[${index}]`;
    if (typeof rule !== 'object' || rule === null) fail('ERR_RATE_LIMIT_RULE', path, 'expected { name, endpoint, period, limit }.');
    checkKeys(rule, RULE_KEYS, path);
    const { name, endpoint, period, limit } = rule as Record<string, unknown>;
    if (typeof name !== 'string' || !RULE_NAME.test(name)) {
      fail('ERR_RATE_LIMIT_RULE', `${path}.name`, `expected 1–64 letters, digits, "_", "-" or ".", got ${JSON.stringify(name)}.`);
    }
    if (seen.has(name)) fail('ERR_RATE_LIMIT_RULE', `${path}.name`, `"${name}" is used by an earlier rule; rule names must be unique.`);
    seen.add(name);
    const periodMs = typeof period === 'string' ? parseRulePeriod(period) : undefined;
    if (periodMs === undefined) {
      fail('ERR_RATE_LIMIT_PERIOD', `${path}.period`, `${JSON.stringify(period)} is not a period; write <number><s|m|h|d> in whole seconds, e.g. "1s", "10m", "12h".`);
    }
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
      fail('ERR_RATE_LIMIT_RULE', `${path}.limit`, `expected a positive integer (requests per period), got ${JSON.stringify(limit)}.`);
    }
    return Object.freeze({
      name,
      limit,
      periodMs,
      period: (period as string).trim(),
      slot: slotFor(name),
      endpoint: compileEndpoint(endpoint, `${path}.endpoint`),
    });
  });
}

/** Validates options. `slotFor` gives each rule name a stable slot for the life of the limiter. */
export function resolveOptions(options: RateLimitOptions, slotFor: (name: string) => number): LimiterState {
  if (typeof options !== 'object' || options === null) {
    fail('ERR_RATE_LIMIT_INVALID_OPTION', 'options', `expected an object, got ${JSON.stringify(options)}.`);
  }
  checkKeys(options, OPTION_NAMES, '');
  const rules = compileRules(options.rules, slotFor);
  const endpointWhitelist = list(options.endpointWhitelist, 'endpointWhitelist').map((entry, i) =>
    compileEndpoint(entry, `endpointWhitelist[${i}]`),
  );
  const resolver = clientKeyResolver(options.clientKey, 'clientKey');
  const clientEntries = list(options.clientWhitelist, 'clientWhitelist').map((entry, i) => {
    if (typeof entry !== 'string' || entry === '') fail('ERR_RATE_LIMIT_INVALID_OPTION', `clientWhitelist[${i}]`, `expected a non-empty string, got ${JSON.stringify(entry)}.`);
    return resolver.whitelistKey(entry);
  });
  const ipEntries = list(options.ipWhitelist, 'ipWhitelist');
  const store = options.store ?? 'memory';
  if (store !== 'memory' && (typeof store !== 'object' || store === null || typeof (store as RateLimitStore).hit !== 'function')) {
    fail('ERR_RATE_LIMIT_STORE', 'store', `expected "memory" or a store with hit() (MemoryStore, RedisStore, ExpressRateLimitStoreAdapter), got ${JSON.stringify(store)}.`);
  }
  const headers = options.headers ?? 'draft-10';
  if (!HEADER_MODES.includes(headers)) {
    fail('ERR_RATE_LIMIT_INVALID_OPTION', 'headers', `expected one of ${HEADER_MODES.map((m) => `"${m}"`).join(', ')}, got ${JSON.stringify(headers)}.${suggest(String(headers), HEADER_MODES)}`);
  }
  const onError = options.onError ?? 'open';
  if (onError !== 'open' && onError !== 'closed') {
    fail('ERR_RATE_LIMIT_INVALID_OPTION', 'onError', `expected "open" (admit when the store fails) or "closed" (answer 503), got ${JSON.stringify(onError)}.`);
  }
  for (const name of ['clock', 'handler'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      fail('ERR_RATE_LIMIT_INVALID_OPTION', name, `expected a function, got ${JSON.stringify(options[name])}.`);
    }
  }
  if (options.keyPrefix !== undefined) checkKeyPrefix(options.keyPrefix, 'keyPrefix');
  const logger = options.logger ?? silentSink;
  if (typeof logger?.warn !== 'function') fail('ERR_RATE_LIMIT_INVALID_OPTION', 'logger', 'expected a LogSink ({ debug, info, warn, error }), e.g. console.');
  return {
    enabled: bool(options.enabled, true, 'enabled'),
    rules,
    matcher: new RuleMatcher(rules, endpointWhitelist),
    key: resolver.key,
    ipWhitelist: ipEntries.length === 0 ? null : new IpWhitelist(ipEntries, 'ipWhitelist'),
    clientWhitelist: clientEntries.length === 0 ? null : new Set(clientEntries),
    store,
    maxClients: integer(options.maxClients, 100_000, 1, Number.MAX_SAFE_INTEGER, 'maxClients'),
    stack: bool(options.stackBlockedRequests, false, 'stackBlockedRequests'),
    statusCode: integer(options.statusCode, 429, 400, 599, 'statusCode'),
    headers,
    onError,
    timeoutMs: integer(options.timeoutMs, DEFAULTS.RateLimiting.Redis.TimeoutMs, 1, 60_000, 'timeoutMs'),
    instances: integer(options.instances, 1, 1, 10_000, 'instances'),
    keyPrefix: options.keyPrefix ?? '',
    keyPrefixExplicit: options.keyPrefix !== undefined,
    clock: options.clock ?? Date.now,
    logger,
    handler: options.handler,
  };
}

/**
 * Checks options the way `rateLimit()` would, without creating a limiter (for `doctor` and config
 * reload pre-checks). Throws RateLimitOptionsError.
 */
export function validateRateLimitOptions(options: RateLimitOptions): void {
  resolveOptions(options, () => 0);
}
