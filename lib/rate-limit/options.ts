/** Public option types of `rateLimit()` and the built-in defaults (the API v2 six-rule table). */
import type { Request } from 'express';
import type { ApiError, LogSink, MetricsRegistry, RateLimitError, RateLimitRule, RefusalHandler, RuleMode } from '../core/index.js';
import type { RateLimitStore } from './store.js';

export type { RateLimitRule, RuleMode };

/**
 * Limits for one client (config `RateLimiting.Policies`). Give `client` or `clientSha256`, not both.
 * A policy rule with the name of a general rule replaces it for this client (and keeps counting in
 * its counter); a new name adds a window.
 */
export interface RateLimitPolicy {
  /**
   * The client ID as a request carries it: an IP address or CIDR range (matched against the address
   * of a client counted by its address), or, with `clientKey: "header:<Name>"` (or a function), the
   * header's (function's) value. Defaults to none.
   */
  readonly client?: string;
  /**
   * The SHA-256 (64 hex characters) of the header's (or the clientKey function's) value, so a secret
   * such as an API key never has to be written into config. Defaults to none.
   */
  readonly clientSha256?: string;
  /** The client's rules, merged over the general rules by name. */
  readonly rules: readonly RateLimitRule[];
}

/**
 * Rules for one request, from an app that knows the client better (after its own authentication),
 * merged over the general rules by name like a policy's; `undefined` leaves the request to
 * `policies`. Return the same array for the same plan (e.g. from a Map): each array is checked and
 * compiled once, on first use.
 */
export type RateLimitPolicyFunction = (req: Request) => readonly RateLimitRule[] | undefined;

/** How clients are told about their limits. */
export type RateLimitHeaders = 'draft-10' | 'legacy' | 'both' | 'none';

/**
 * Answers a refused request; the headers (Retry-After, RateLimit*) are already set. `error` is a
 * {@link RateLimitError} for a 429 (with the blocking rule), or an ApiError 503 `Unavailable` when
 * the store failed and `onError` is `closed`.
 */
export type RateLimitHandler = RefusalHandler<RateLimitError | ApiError>;

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /**
   * Requests for which this returns true are neither counted nor limited (no headers, no store call),
   * like a whitelisted endpoint. Called once per request before anything else. Defaults to none.
   */
  readonly skip?: (req: Request) => boolean;
  /** Set false to let every request through (for example from config, without removing the middleware). Defaults to true. */
  readonly enabled?: boolean;
  /** The rules; a request must have room in every rule it matches. Defaults to {@link DEFAULT_RULES}. */
  readonly rules?: readonly RateLimitRule[];
  /**
   * Who a request counts against: `ip` (express `req.ip`, so `trust proxy` decides about
   * X-Forwarded-For; IPv6 grouped by /56), `header:<Name>` (SHA-256 of that header, the IP when it is
   * absent) or a function returning a string. Defaults to `ip`.
   */
  readonly clientKey?: 'ip' | `header:${string}` | ((req: Request) => string);
  /** `memory` (a MemoryStore owned by the limiter) or a store instance, e.g. a RedisStore. Defaults to `memory`. */
  readonly store?: 'memory' | RateLimitStore;
  /** Bound of the limiter's own memory store (also used for the fallback store). Defaults to 100 000. */
  readonly maxClients?: number;
  /** True counts refused requests in every matching window; false counts them nowhere. Defaults to false. */
  readonly stackBlockedRequests?: boolean;
  /** Status of a refusal, 400–599. Defaults to 429. */
  readonly statusCode?: number;
  /** Addresses and CIDR ranges (IPv4 and IPv6) never limited, e.g. `10.0.0.0/8`, `::1`. Defaults to none. */
  readonly ipWhitelist?: readonly string[];
  /** Client keys never limited: for `header:<Name>` the raw header values (compared hashed). Defaults to none. */
  readonly clientWhitelist?: readonly string[];
  /**
   * Endpoints (`<methods>:<path-glob>`) never limited, e.g. `get:/health`. Unlike rules they match the
   * canonical path only when it is plain and with case and trailing slash exactly as written, so no
   * other handler can borrow an exemption (docs/rate-limiting.md). Defaults to none.
   */
  readonly endpointWhitelist?: readonly string[];
  /** `draft-10` (RateLimit + RateLimit-Policy), `legacy` (X-Rate-Limit-*), `both` or `none`. Defaults to `draft-10`. */
  readonly headers?: RateLimitHeaders;
  /**
   * During a store outage: `open` admits, counting in an in-process fallback (each limit divided by
   * `instances`); `closed` answers 503 with Retry-After. Defaults to `open`.
   */
  readonly onError?: 'open' | 'closed';
  /**
   * How long a request may wait for the store (ms). It bounds a reply that never comes (a stopped or
   * partitioned Redis), not a slow one: a request waiting for Redis is never also decided elsewhere,
   * and RedisStore makes sure a hit given up at this bound never counts later. Keep it well above
   * the slowest normal reply under load. Defaults to 5000.
   */
  readonly timeoutMs?: number;
  /**
   * How many processes share the store. During an outage each process's fallback grants
   * `ceil(limit / instances)` per window, so all of them together stay near the limit. Defaults to 1.
   */
  readonly instances?: number;
  /**
   * Put before the client's hash tag in shared-store keys (`rl:<keyPrefix>{client}:<rule>`). Two
   * limiters on one store must have different prefixes, or the same one on purpose to share
   * counters; a second limiter without one is refused at construction. Defaults to none.
   */
  readonly keyPrefix?: string;
  /**
   * Per-client limits: the first policy matching a request replaces or adds rules for it (see
   * {@link RateLimitPolicy}). Defaults to none.
   */
  readonly policies?: readonly RateLimitPolicy[];
  /** Rules per request from your code; wins over `policies` when it returns rules. Defaults to none. */
  readonly policy?: RateLimitPolicyFunction;
  /**
   * True lists monitor-mode rules in the rate-limit headers like the others (a client then sees a
   * limit it is not held to yet); false leaves them out. Defaults to false.
   */
  readonly monitoredInHeaders?: boolean;
  /**
   * The refusal message inside the envelope. Placeholders: `{limit}`, `{period}`, `{rule}`,
   * `{retryAfter}` (and AspNetCoreRateLimit's `{0}` limit, `{1}` period, `{2}` retry after).
   * Defaults to `API calls quota exceeded! maximum admitted {limit} per {period}.`
   */
  readonly message?: string;
  /** Milliseconds clock, injectable for tests. Defaults to `Date.now`. */
  readonly clock?: () => number;
  /** Receives store-outage and memory-bound warnings. Defaults to a silent sink. */
  readonly logger?: LogSink;
  /**
   * Answers a refused request (429, or 503 when the store fails with `onError: "closed"`); the
   * headers (Retry-After, RateLimit*) are already set. Defaults to answering the JSON envelope
   * itself (issuetrak, or RFC 9457 when the client's Accept asks for it), so the middleware works
   * alone. Pass `(req, res, next, error) => next(error)` to have your error handler answer instead.
   */
  readonly handler?: RateLimitHandler;
  /**
   * A prom-client Registry to report into: refusals and monitored requests per rule, fallback
   * decisions, store up/down and store call duration (see docs/observability.md). Limiters sharing
   * a registry share the instruments. Needs prom-client installed (an optional peer dependency; the
   * limiter fails at construction with `npm install prom-client` otherwise). Defaults to none: nothing
   * is measured and prom-client is not loaded.
   */
  readonly registry?: MetricsRegistry;
}
