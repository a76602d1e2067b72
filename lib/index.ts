/**
 * express-api-guard's public face: every folder's public exports, re-exported.
 * Each folder's index.ts decides what it makes public; this file only gathers them.
 */
export { ApiError, RateLimitError } from './errors/api-error.js';
export type { ApiErrorOptions, ApiErrorType, RateLimitErrorDetails } from './errors/api-error.js';
export type { LogSink } from './logging/log-sink.js';
export { getTraceId } from './trace/context.js';
export { redact } from './config/redact.js';
export type * from './config/types.js';
export * from './config/index.js';
export { createApiGuard } from './create-api-guard.js';
export type { ApiGuard, ApiGuardCloseOptions, CreateApiGuardOptions } from './create-api-guard.js';
export * from './health/index.js';
export * from './errors/index.js';
export * from './https/index.js';
export * from './cli/index.js';
export * from './trace/index.js';
export * from './logging/index.js';
export * from './rate-limit/index.js';
