/** Public face of lib/guard: createApiGuard composes every middleware from one config. */
export { createApiGuard, type ApiGuard, type ApiGuardCloseOptions, type CreateApiGuardOptions } from './create-api-guard.js';
