/** Public face of the rate limiter (`express-api-guard/rate-limit`). */
export { rateLimit, type RateLimitMiddleware } from './middleware.js';
export { type RateLimitOptions, type RateLimitRule, type RateLimitHeaders, type RateLimitHandler } from './options.js';
export { DEFAULT_RULES, RateLimitError, OptionsError, type RateLimitErrorDetails } from '../core/index.js';
export { StoreUnavailableError } from './errors.js';
export type { RateLimitStore, RateLimitWindow, HitResult, StoreContext } from './store.js';
export { MemoryStore, type MemoryStoreOptions } from './stores/memory.js';
export { RedisStore, type RedisStoreOptions } from './stores/redis.js';
export { ExpressRateLimitStoreAdapter, type ExpressRateLimitStoreAdapterOptions } from './stores/express-rate-limit.js';
export { rateLimitOptionsFromConfig, type RateLimitConfigExtras } from './from-config.js';
export { redisHealthCheck, type RedisHealth } from './health-check.js';
export { validateRateLimitOptions } from './validate.js';
