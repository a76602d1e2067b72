/**
 * Owns the guard's rate limiter across config reloads. Every change goes through the limiter's own
 * update(), so counters survive; the running Redis connection is reused unless where Redis is
 * (mode, URL, nodes, credentials) or the key prefix changed, in which case update() swaps in a new
 * store and closes the old one. With a client of your own (`redis` option) only the prefix matters.
 */
import type { Request } from 'express';
import type { Cluster, Redis } from 'ioredis';
import type { RateLimitingConfig } from '../config/index.js';
import type { LogSink, MetricsRegistry } from '../core/index.js';
import { toErrorMapper } from './options.js';
import {
  rateLimit,
  rateLimitOptionsFromConfig,
  redisConnectionFromConfig,
  redisHealthCheck,
  type RateLimitHandler,
  type RateLimitMiddleware,
  type RateLimitOptions,
  type RateLimitPolicyFunction,
} from '../rate-limit/index.js';

function storeIdentity(section: RateLimitingConfig): string {
  return section.Store === 'redis' ? JSON.stringify([redisConnectionFromConfig(section.Redis), section.Redis.KeyPrefix]) : 'memory';
}

/**
 * Checks the Redis store the way `doctor` does (per mode; a standalone Url pointing at a Cluster
 * node, a wrong password or an unknown Sentinel master group are named with their fix). Fails startup
 * with `OnError: closed` (every request would get 503); with `open` logs a warning, since the limiter
 * falls back in-process.
 */
export async function checkRedisAtStartup(section: RateLimitingConfig, logger: LogSink, client?: Redis | Cluster): Promise<void> {
  if (!section.Enabled || section.Store !== 'redis') return;
  const settings = redisConnectionFromConfig(section.Redis);
  const result = await redisHealthCheck(client ?? settings, { keyPrefix: section.Redis.KeyPrefix });
  if (result.ok) return;
  const where = client === undefined ? `Redis (${result.target})` : 'Redis (the client passed as the "redis" option)';
  const reason = `${where} ${result.error ?? 'does not answer'}${result.fix === undefined ? '' : `; ${result.fix}`}`;
  if (section.Redis.OnError === 'closed') {
    throw new Error(
      `RateLimiting: ${reason}. RateLimiting.Redis.OnError is "closed", so every request would be refused: fix Redis or its settings, or set OnError to "open".`,
    );
  }
  logger.warn(`RateLimiting: ${reason}. Requests are counted in-process until it answers.`);
}

/** What code gives the limiter beside the config; kept across reloads. */
export interface LimiterExtras {
  readonly clientKey?: (req: Request) => string;
  readonly handler?: RateLimitHandler;
  readonly policy?: RateLimitPolicyFunction;
  readonly skip?: (req: Request) => boolean;
}

/** The programmatic overrides of createApiGuard that belong to the limiter. */
export function limiterExtras(options: {
  clientKey?: (req: Request) => string;
  onRateLimited?: RateLimitHandler;
  rateLimitPolicy?: RateLimitPolicyFunction;
  skipRateLimit?: (req: Request) => boolean;
}): LimiterExtras {
  return {
    ...(options.clientKey === undefined ? {} : { clientKey: options.clientKey }),
    ...(options.onRateLimited === undefined ? {} : { handler: options.onRateLimited }),
    ...(options.rateLimitPolicy === undefined ? {} : { policy: options.rateLimitPolicy }),
    ...(options.skipRateLimit === undefined ? {} : { skip: options.skipRateLimit }),
  };
}

export class ManagedLimiter {
  readonly middleware: RateLimitMiddleware;
  #section: RateLimitingConfig;
  readonly #logger: LogSink;
  readonly #extras: LimiterExtras;
  readonly #client: Redis | Cluster | undefined;
  #registry: MetricsRegistry | undefined;

  constructor(section: RateLimitingConfig, logger: LogSink, extras: LimiterExtras = {}, client?: Redis | Cluster, registry?: MetricsRegistry) {
    this.#logger = logger;
    this.#section = section;
    this.#extras = extras;
    this.#client = client;
    this.#registry = registry;
    this.middleware = rateLimit(this.#options(section, false));
  }

  /** Reports into `registry` from now on (undefined: stops reporting, as when Metrics.Enabled turns false). */
  useRegistry(registry: MetricsRegistry | undefined): void {
    if (registry === this.#registry) return;
    this.middleware.update({ registry });
    this.#registry = registry;
  }

  /** Applies a changed section; throws (changing nothing) when the limiter rejects the options. */
  apply(section: RateLimitingConfig): void {
    const identity = (s: RateLimitingConfig): string => (this.#client === undefined || s.Store !== 'redis' ? storeIdentity(s) : `client ${s.Redis.KeyPrefix}`);
    this.middleware.update(this.#options(section, identity(section) === identity(this.#section)));
    this.#section = section;
  }

  #options(section: RateLimitingConfig, sameStore: boolean): RateLimitOptions {
    return {
      ...rateLimitOptionsFromConfig(section, {
        logger: this.#logger,
        ...(this.#client === undefined ? {} : { redisClient: this.#client }),
        ...(sameStore && section.Store === 'redis' ? { redisStore: this.middleware.store } : {}),
      }),
      // Every instance of an app built from one config shares its Redis counters on purpose (that is
      // what Redis is for), even when two run in one process; another limiter on the same Redis and
      // KeyPrefix without its own keyPrefix is still refused.
      keyPrefix: '',
      // Code's overrides win over the config on every build, so a reload cannot undo them.
      handler: this.#extras.handler ?? toErrorMapper,
      ...(this.#extras.clientKey === undefined ? {} : { clientKey: this.#extras.clientKey }),
      ...(this.#extras.policy === undefined ? {} : { policy: this.#extras.policy }),
      ...(this.#extras.skip === undefined ? {} : { skip: this.#extras.skip }),
      registry: this.#registry,
    };
  }

  close(): Promise<void> {
    return this.middleware.close();
  }
}
