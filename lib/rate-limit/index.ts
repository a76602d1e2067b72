/** Public face of the rate limiter (`express-api-guard/rate-limit`). */
export { rateLimit, type RateLimitMiddleware } from './middleware.js';
export {
  type RateLimitOptions,
  type RateLimitRule,
  type RateLimitHeaders,
  type RateLimitHandler,
  type RateLimitPolicy,
  type RateLimitPolicyFunction,
  type RuleMode,
} from './options.js';
export type { ClientLimits, RuleUsage } from './client-limits.js';
export { DEFAULT_RULES, RateLimitError, OptionsError, type RateLimitErrorDetails } from '../core/index.js';
export { StoreUnavailableError } from './errors.js';
export type { RateLimitStore, RateLimitWindow, HitResult, StoreCall, StoreContext, WindowCounts } from './store.js';
export { MemoryStore, type MemoryStoreOptions } from './stores/memory.js';
export { RedisStore, type RedisStoreOptions } from './stores/redis.js';
export {
  ExpressRateLimitStoreAdapter,
  redisCommands,
  type ExpressRateLimitStoreAdapterOptions,
  type RedisCommandDetails,
  type RedisCommandReply,
} from './stores/express-rate-limit.js';
export { rateLimitOptionsFromConfig, redisConnectionFromConfig, type RateLimitConfigExtras } from './from-config.js';
export type { RedisConnectionSettings } from './stores/redis-connect.js';
export { redisHealthCheck, type RedisHealth } from './health-check.js';
export { validateRateLimitOptions } from './validate.js';
