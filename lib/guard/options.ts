/**
 * Maps a loaded config onto each middleware's plain options. Kept apart from the composition so a
 * reload and the first build produce options the same way.
 */
import { isDevelopment } from '../config/environment.js';
import type { ApiGuardConfig } from '../config/types.js';
import type { ErrorMapperOptions } from '../errors/index.js';
import type { RequireHttpsOptions } from '../https/index.js';
import type { LogSink } from '../logging/log-sink.js';
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
  };
}

export function errorOptions(config: ApiGuardConfig, logger: LogSink): ErrorMapperOptions {
  return {
    format: config.Errors.Format,
    includeDetails: config.Errors.IncludeDetails && isDevelopment(config.environment),
    environment: config.environment,
    logger,
  };
}

const GUARD_OPTION_KEYS = ['configDir', 'environment', 'overrides', 'env', 'watch', 'debounceMs', 'redis'] as const;

/** Typo traps for createApiGuard's own options; a misspelt `configdir` must not silently use defaults. */
export function checkGuardOptions(options: unknown): void {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('createApiGuard(options): pass an object such as { configDir: "/srv/my-api" }.');
  }
  for (const key of Object.keys(options)) {
    if (!(GUARD_OPTION_KEYS as readonly string[]).includes(key)) {
      const hint = GUARD_OPTION_KEYS.find((known) => known.toLowerCase() === key.toLowerCase());
      throw new TypeError(
        `createApiGuard(options): unknown option "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; known options: ${GUARD_OPTION_KEYS.join(', ')}.`,
      );
    }
  }
  const { configDir, watch, debounceMs, redis } = options as Record<string, unknown>;
  if (typeof configDir !== 'string' || configDir.trim() === '') {
    throw new TypeError('createApiGuard(options): "configDir" is required: the folder holding appsettings.json.');
  }
  if (watch !== undefined && typeof watch !== 'boolean') throw new TypeError('createApiGuard(options): "watch" must be true or false.');
  if (debounceMs !== undefined && !(typeof debounceMs === 'number' && Number.isFinite(debounceMs) && debounceMs >= 0)) {
    throw new TypeError('createApiGuard(options): "debounceMs" must be a number of milliseconds >= 0.');
  }
  if (redis !== undefined && (redis === null || typeof redis !== 'object' || typeof (redis as { defineCommand?: unknown }).defineCommand !== 'function')) {
    throw new TypeError('createApiGuard(options): "redis" must be an ioredis client (new Redis(…) or new Cluster(…)).');
  }
}
