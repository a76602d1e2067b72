/** Maps the `RateLimiting` section of appsettings.json (PascalCase) onto `rateLimit()` options. */
import type { RateLimitingConfig } from '../config/index.js';
import type { LogSink } from '../core/index.js';
import type { RateLimitOptions } from './options.js';
import type { RateLimitStore } from './store.js';
import { RedisStore } from './stores/redis.js';

/** Extras that config cannot express. */
export interface RateLimitConfigExtras {
  /** Receives outage and memory-bound warnings. Defaults to a silent sink. */
  readonly logger?: LogSink;
  /**
   * The store to use when the section says `Store: "redis"`; pass the running limiter's store on a
   * config reload so no new connection is opened. Defaults to a new RedisStore from `Redis.Url`.
   */
  readonly redisStore?: RateLimitStore;
  /** Milliseconds clock, for tests. Defaults to `Date.now`. */
  readonly clock?: () => number;
}

/**
 * Options for `rateLimit()` (or `limiter.update()`) from a loaded config section. With
 * `Store: "redis"` this creates a RedisStore that connects on first use (unless `redisStore` is given).
 */
export function rateLimitOptionsFromConfig(section: RateLimitingConfig, extras: RateLimitConfigExtras = {}): RateLimitOptions {
  const store: RateLimitOptions['store'] =
    section.Store === 'redis'
      ? (extras.redisStore ?? new RedisStore({ url: section.Redis.Url, keyPrefix: section.Redis.KeyPrefix }))
      : 'memory';
  const options: RateLimitOptions = {
    enabled: section.Enabled,
    rules: section.Rules.map((rule) => ({ name: rule.Name, endpoint: rule.Endpoint, period: rule.Period, limit: rule.Limit })),
    clientKey: section.ClientKey as RateLimitOptions['clientKey'],
    store,
    maxClients: section.MaxClients,
    stackBlockedRequests: section.StackBlockedRequests,
    statusCode: section.HttpStatusCode,
    ipWhitelist: section.IpWhitelist,
    clientWhitelist: section.ClientWhitelist,
    endpointWhitelist: section.EndpointWhitelist,
    headers: section.Headers,
    onError: section.Redis.OnError,
    timeoutMs: section.Redis.TimeoutMs,
  };
  return {
    ...options,
    ...(extras.logger === undefined ? {} : { logger: extras.logger }),
    ...(extras.clock === undefined ? {} : { clock: extras.clock }),
  };
}
