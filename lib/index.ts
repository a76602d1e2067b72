/**
 * express-api-guard's package root: the names most apps need, and their option types. Everything
 * else is in the subpath of its folder: `express-api-guard/rate-limit`, `/trace`, `/logging`,
 * `/config`, `/errors`, `/https`, `/health`, `/metrics`, `/cli`.
 */
export { createApiGuard, type ApiGuard, type ApiGuardCloseOptions, type CreateApiGuardOptions } from './guard/index.js';
export { loadConfig, type LoadConfigOptions, type ApiGuardConfig } from './config/index.js';
export {
  rateLimit,
  MemoryStore,
  RedisStore,
  type RateLimitMiddleware,
  type RateLimitOptions,
  type RateLimitRule,
  type RateLimitHeaders,
  type RateLimitHandler,
  type RateLimitStore,
  type MemoryStoreOptions,
  type RedisStoreOptions,
} from './rate-limit/index.js';
export { traceId, getTraceId, type TraceIdOptions, type TraceIdFormat } from './trace/index.js';
export { requestLogger, createLogger, type RequestLoggerOptions, type CreateLoggerOptions, type GuardLogger, type CategoryLogger } from './logging/index.js';
export { errorMapper, notFound, ApiError, type ErrorMapperOptions, type NotFoundOptions, type ApiErrorOptions, type ApiErrorType, type ErrorFormat } from './errors/index.js';
export { requireHttps, type RequireHttpsOptions } from './https/index.js';
export type { LogSink, RefusalHandler } from './core/index.js';
