/** Public face of the rate limiter. */
export { rateLimit, type RateLimitMiddleware } from './middleware.js';
export {
  DEFAULT_RATE_LIMIT_RULES,
  type RateLimitOptions,
  type RateLimitRule,
  type RateLimitHeaders,
  type RateLimitHandler,
} from './options.js';
export { RateLimitOptionsError, StoreUnavailableError, type RateLimitOptionsErrorCode } from './errors.js';
export type { RateLimitStore, RateLimitWindow, HitResult, StoreCall, StoreContext } from './store.js';
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
export { parseRulePeriod } from './period.js';
export { validateRateLimitOptions } from './validate.js';
