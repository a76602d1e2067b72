/** Maps the `RateLimiting` section of appsettings.json (PascalCase) onto `rateLimit()` options. */
import type { Cluster, Redis } from 'ioredis';
import type { RateLimitRuleConfig, RateLimitingConfig, RedisConfig } from '../config/index.js';
import type { LogSink } from '../core/index.js';
import type { RateLimitOptions, RateLimitRule } from './options.js';
import type { RateLimitStore } from './store.js';
import type { RedisConnectionSettings } from './stores/redis-connect.js';
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
  /**
   * Your own ioredis client (Redis or Cluster) for `Store: "redis"`: used instead of `Redis.Url`,
   * `Mode` and `Nodes`, and left open on close. Defaults to a client the store creates and owns.
   */
  readonly redisClient?: Redis | Cluster;
  /** Milliseconds clock, for tests. Defaults to `Date.now`. */
  readonly clock?: () => number;
}

/**
 * Options for `rateLimit()` (or `limiter.update()`) from a loaded config section. With
 * `Store: "redis"` this creates a RedisStore for `Redis.Mode` (standalone, cluster or sentinel) that
 * connects on first use (unless `redisStore` or `redisClient` is given).
 */
export function rateLimitOptionsFromConfig(section: RateLimitingConfig, extras: RateLimitConfigExtras = {}): RateLimitOptions {
  const keyPrefix = section.Redis.KeyPrefix;
  const store: RateLimitOptions['store'] =
    section.Store !== 'redis'
      ? 'memory'
      : (extras.redisStore ??
        (extras.redisClient !== undefined
          ? new RedisStore({ client: extras.redisClient, keyPrefix })
          : new RedisStore({ connection: redisConnectionFromConfig(section.Redis), keyPrefix })));
  const options: RateLimitOptions = {
    enabled: section.Enabled,
    rules: section.Rules.map(ruleOf),
    policies: (section.Policies ?? []).map((policy) => ({
      ...(policy.Client === undefined ? {} : { client: policy.Client }),
      ...(policy.ClientSha256 === undefined ? {} : { clientSha256: policy.ClientSha256 }),
      rules: policy.Rules.map(ruleOf),
    })),
    monitoredInHeaders: section.MonitoredInHeaders ?? false,
    // Set even when absent: update() merges over the running options, and a message removed from the file must go.
    message: section.QuotaExceededMessage,
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
    instances: section.Redis.Instances,
  };
  return {
    ...options,
    ...(extras.logger === undefined ? {} : { logger: extras.logger }),
    ...(extras.clock === undefined ? {} : { clock: extras.clock }),
  };
}

function ruleOf(rule: RateLimitRuleConfig): RateLimitRule {
  return { name: rule.Name, endpoint: rule.Endpoint, period: rule.Period, limit: rule.Limit, ...(rule.Mode === undefined ? {} : { mode: rule.Mode }) };
}

/** Where Redis is, from `RateLimiting.Redis` (for the store, the startup check and doctor). */
export function redisConnectionFromConfig(redis: RedisConfig): RedisConnectionSettings {
  return {
    mode: redis.Mode,
    url: redis.Url,
    nodes: redis.Nodes,
    ...(redis.SentinelName === undefined ? {} : { sentinelName: redis.SentinelName }),
    ...(redis.Password === undefined ? {} : { password: redis.Password }),
  };
}
