/**
 * The rule shape and the built-in rule table, shared by the config loader (as its lowest layer) and
 * rateLimit() (when no rules are given): six limits, a per-second burst and write limit and
 * ceilings per minute, 10 minutes, hour and 12 hours.
 */
import type { RuleMode } from './grammar/rule-mode.js';

/** One rule: at most `limit` requests per `period` for requests matching `endpoint`. */
export interface RateLimitRule {
  /** Unique name (letters, digits, `_ - .`, at most 64), shown in headers and used in store keys, e.g. `burst`. */
  readonly name: string;
  /** `<methods>:<path-glob>` or `*`, e.g. `post,put,patch,delete:*` or `get:/api/v2/tickets/*`. */
  readonly endpoint: string;
  /** `<number><s|m|h|d>`, a whole number of seconds, e.g. `1s`, `10m`, `12h`. */
  readonly period: string;
  /** Requests admitted per period; a positive integer. */
  readonly limit: number;
  /**
   * `Enforce` refuses requests over the limit; `Monitor` counts them, reports them (a Warning line for
   * the first one per client and window) and admits them. Matched ignoring case. Defaults to `Enforce`.
   */
  readonly mode?: RuleMode;
}

/**
 * Used when no rules are configured (and only then: configuring any rule replaces the whole table).
 * `writes` covers PATCH too: it writes like PUT, although the original table lists POST, PUT and DELETE.
 */
export const DEFAULT_RULES: readonly RateLimitRule[] = Object.freeze(
  [
    { name: 'burst', endpoint: '*', period: '1s', limit: 20 },
    { name: 'writes', endpoint: 'post,put,patch,delete:*', period: '1s', limit: 5 },
    { name: 'per-minute', endpoint: '*', period: '1m', limit: 100 },
    { name: 'per-10-minutes', endpoint: '*', period: '10m', limit: 100 },
    { name: 'per-hour', endpoint: '*', period: '1h', limit: 1000 },
    { name: 'per-12-hours', endpoint: '*', period: '12h', limit: 1000 },
  ].map((rule) => Object.freeze(rule)),
);

/**
 * How long a request may wait for a shared store (RateLimiting.Redis.TimeoutMs, `timeoutMs`): it
 * bounds a reply that never comes, not a slow one, so it is far above a busy Redis's slowest reply.
 */
export const DEFAULT_STORE_TIMEOUT_MS = 5000;
