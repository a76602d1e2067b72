/**
 * Maps a loaded config onto each middleware's plain options. Kept apart from the composition so a
 * reload and the first build produce options the same way.
 */
import type { NextFunction, Request, Response } from 'express';
import type { ApiGuardConfig } from '../config/index.js';
import { isDevelopment, OptionKit, silentSink, type ApiError, type KeysEnum, type LogSink } from '../core/index.js';
import type { CreateApiGuardOptions } from './create-api-guard.js';
import type { ErrorMapperOptions } from '../errors/index.js';
import type { RequireHttpsOptions } from '../https/index.js';
import { traceIdOptionsFromConfig, type TraceIdOptions } from '../trace/index.js';

export function traceOptions(config: ApiGuardConfig): TraceIdOptions {
  return traceIdOptionsFromConfig(config.Tracing);
}

/** Loopback plain HTTP is let through only in Development, and only when the config allows it. */
export function httpsOptions(config: ApiGuardConfig): RequireHttpsOptions {
  const https = config.Https;
  return {
    required: https.Required,
    hsts: https.Hsts,
    hstsMaxAge: https.HstsMaxAge,
    allowLoopback: isDevelopment(config.environment) && https.AllowLoopbackInDevelopment,
    environment: config.environment,
    handler: toErrorMapper,
  };
}

/**
 * The guard's middleware hand their refusals (403, 429, 503) to the guard's error mapper, which
 * answers in the configured format and logs them, instead of answering on their own.
 */
export function toErrorMapper(_req: Request, _res: Response, next: NextFunction, error: ApiError): void {
  next(error);
}

export function errorOptions(config: ApiGuardConfig, logger: LogSink): ErrorMapperOptions {
  return {
    format: config.Errors.Format,
    includeDetails: config.Errors.IncludeDetails && isDevelopment(config.environment),
    environment: config.environment,
    logger,
    secrets: config.secretPolicy(),
  };
}

const kit: OptionKit = new OptionKit({ name: 'createApiGuard', code: 'GUARD', docs: 'getting-started.md' });

/** Typo traps for createApiGuard's own options; a misspelt `configdir` must not silently use defaults. */
export function checkGuardOptions(options: unknown): void {
  const keys: KeysEnum<CreateApiGuardOptions> = {
    configDir: true,
    environment: true,
    overrides: true,
    env: true,
    watch: true,
    debounceMs: true,
    clientKey: true,
    onRateLimited: true,
    rateLimitPolicy: true,
    skipRateLimit: true,
    logger: true,
    redis: true,
  };
  const given = kit.object(options as CreateApiGuardOptions, keys);
  if (options === undefined) kit.fail('INVALID_OPTION', '', 'pass an object such as { configDir: "/srv/my-api" }.');
  if (typeof given.configDir !== 'string' || given.configDir.trim() === '') {
    kit.fail('INVALID_OPTION', 'configDir', 'is required: the folder holding appsettings.json.');
  }
  kit.boolean(given.watch, true, 'watch');
  kit.integer(given.debounceMs, 0, 0, 60_000, 'debounceMs');
  if (given.environment !== undefined && typeof given.environment !== 'string') kit.fail('INVALID_OPTION', 'environment', 'expected an environment name such as "Production".');
  kit.func(given.clientKey, 'clientKey');
  kit.func(given.onRateLimited, 'onRateLimited');
  kit.func(given.rateLimitPolicy, 'rateLimitPolicy');
  kit.func(given.skipRateLimit, 'skipRateLimit');
  kit.sink(given.logger, silentSink, 'logger');
  const redis = given.redis as { defineCommand?: unknown } | null | undefined;
  if (redis !== undefined && (redis === null || typeof redis !== 'object' || typeof redis.defineCommand !== 'function')) {
    kit.fail('INVALID_OPTION', 'redis', 'expected an ioredis client (new Redis(…) or new Cluster(…)).');
  }
}
