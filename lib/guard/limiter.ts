/**
 * Owns the guard's rate limiter across config reloads. Every change goes through the limiter's own
 * update(), so counters survive; the running Redis connection is reused unless the store, the URL
 * or the key prefix changed, in which case update() swaps in a new store and closes the old one.
 */
import type { RateLimitingConfig } from '../config/index.js';
import type { LogSink } from '../core/index.js';
import { toErrorMapper } from './options.js';
import type { Request } from 'express';
import type { Registry } from 'prom-client';
import {
  rateLimit,
  rateLimitOptionsFromConfig,
  redisHealthCheck,
  type RateLimitHandler,
  type RateLimitMiddleware,
  type RateLimitOptions,
  type RateLimitStore,
} from '../rate-limit/index.js';

function storeIdentity(section: RateLimitingConfig): string {
  return section.Store === 'redis' ? `redis ${section.Redis.Url} ${section.Redis.KeyPrefix}` : 'memory';
}

/**
 * Fails startup when the store is Redis with `OnError: closed` and Redis does not answer: every
 * request would get 503. With `open` the limiter falls back in-process, so only a warning is logged.
 */
export async function checkRedisAtStartup(section: RateLimitingConfig, logger: LogSink): Promise<void> {
  if (!section.Enabled || section.Store !== 'redis') return;
  const result = await redisHealthCheck(section.Redis.Url, { keyPrefix: section.Redis.KeyPrefix });
  if (result.ok) return;
  const reason = result.error ?? 'no answer';
  if (section.Redis.OnError === 'closed') {
    throw new Error(
      `Redis for RateLimiting is unreachable (${reason}) and RateLimiting.Redis.OnError is "closed", so every request would be refused. ` +
        'Start Redis, fix RateLimiting.Redis.Url, or set OnError to "open".',
    );
  }
  logger.warn(`Redis for RateLimiting is unreachable (${reason}); requests are counted in-process until it answers.`);
}

/** What code gives the limiter beside the config; kept across reloads. */
export interface LimiterExtras {
  readonly clientKey?: (req: Request) => string;
  readonly handler?: RateLimitHandler;
}

/** The programmatic overrides of createApiGuard that belong to the limiter. */
export function limiterExtras(options: { clientKey?: (req: Request) => string; onRateLimited?: RateLimitHandler }): LimiterExtras {
  return {
    ...(options.clientKey === undefined ? {} : { clientKey: options.clientKey }),
    ...(options.onRateLimited === undefined ? {} : { handler: options.onRateLimited }),
  };
}

export class ManagedLimiter {
  readonly middleware: RateLimitMiddleware;
  #section: RateLimitingConfig;
  readonly #logger: LogSink;
  readonly #extras: LimiterExtras;
  #registry: Registry | undefined;

  constructor(section: RateLimitingConfig, logger: LogSink, extras: LimiterExtras = {}, registry?: Registry) {
    this.#logger = logger;
    this.#section = section;
    this.#extras = extras;
    this.#registry = registry;
    this.middleware = rateLimit(this.#options(section, {}));
  }

  // Code's overrides win over the config on every build, so a reload cannot undo them.
  #options(section: RateLimitingConfig, store: { redisStore?: RateLimitStore }): RateLimitOptions {
    return {
      ...rateLimitOptionsFromConfig(section, { logger: this.#logger, ...store }),
      handler: this.#extras.handler ?? toErrorMapper,
      ...(this.#extras.clientKey === undefined ? {} : { clientKey: this.#extras.clientKey }),
      registry: this.#registry,
    };
  }

  /** Reports into `registry` from now on (undefined: stops reporting, as when Metrics.Enabled turns false). */
  useRegistry(registry: Registry | undefined): void {
    if (registry === this.#registry) return;
    this.middleware.update({ registry });
    this.#registry = registry;
  }

  /** Applies a changed section; throws (changing nothing) when the limiter rejects the options. */
  apply(section: RateLimitingConfig): void {
    const sameStore = storeIdentity(section) === storeIdentity(this.#section);
    this.middleware.update(this.#options(section, sameStore && section.Store === 'redis' ? { redisStore: this.middleware.store } : {}));
    this.#section = section;
  }

  close(): Promise<void> {
    return this.middleware.close();
  }
}
