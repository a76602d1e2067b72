/** What {@link rateLimit} returns: Express middleware with the limiter's controls. */
import type { RequestHandler } from 'express';
import type { ClientLimits } from './client-limits.js';
import type { RateLimitOptions } from './options.js';
import type { RateLimitStore } from './store.js';

/** The middleware returned by {@link rateLimit}. */
export type RateLimitMiddleware = RequestHandler & {
  /**
   * Applies new options to the running limiter (merged over the current ones). Counters belong to
   * rule names: a rule keeps its current counts when its name is unchanged, even if its limit,
   * period or endpoint changed. A different store instance replaces (and closes) the current one.
   * Throws OptionsError and changes nothing when the options are invalid.
   */
  update(options: Partial<RateLimitOptions>): void;
  /**
   * Stops the limiter: requests arriving from now on are refused with 503 and Retry-After (never
   * admitted uncounted); requests already waiting for the store get their answer (bounded by
   * `timeoutMs`); then the store is closed (a RedisStore given a client leaves that client open).
   */
  close(): Promise<void>;
  /**
   * One client's counters: per rule that applies to it (its policy included), the count, limit and
   * time to reset. `clientId` is the client as requests carry it: an IP address, or the client key
   * header's value (hashed inside, as for requests). Rejects when the store cannot be read.
   */
  inspect(clientId: string): Promise<ClientLimits>;
  /**
   * Clears one client's counters: of `ruleName`, or of every rule this limiter knows. Resolves to how
   * many were running (0: nothing was stored; undefined: the store cannot tell).
   */
  reset(clientId: string, ruleName?: string): Promise<number | undefined>;
  /** The store in use. */
  readonly store: RateLimitStore;
};
