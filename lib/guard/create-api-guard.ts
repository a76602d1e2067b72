/**
 * createApiGuard(): loads appsettings*, builds the logger and the middleware from it, and keeps
 * them in step with the files. `before` runs HTTP metrics → trace ID → request log → HTTPS check → rate limit;
 * `after` is the 404 + error mapper pair. Edits to the config files are applied live; an invalid
 * edit is logged with the loader's precise message and the running config is kept.
 */
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { Cluster, Redis } from 'ioredis';
import { type ApiGuardConfig, type ConfigWatcher, loadConfig, watchConfig } from '../config/index.js';
import { onResponseDone, type LogSink, type MetricsRegistry } from '../core/index.js';
import { errorMapper, notFound } from '../errors/index.js';
import { requireHttps } from '../https/index.js';
import { type CategoryLogger, createLogger, requestLogger, startupLog, type GuardLogger } from '../logging/index.js';
import type { RateLimitHandler, RateLimitMiddleware, RateLimitPolicyFunction } from '../rate-limit/index.js';
import { traceId } from '../trace/index.js';
import { swappableChain } from './chain.js';
import { changedSections } from './changes.js';
import { checkRedisAtStartup, limiterExtras, ManagedLimiter } from './limiter.js';
import { ManagedMetrics } from './metrics.js';
import { checkGuardOptions, errorOptions, httpsOptions, traceOptions } from './options.js';

/** Options for {@link createApiGuard}. */
export type CreateApiGuardOptions = Readonly<{
  /** Folder holding appsettings.json and appsettings.{Environment}.json. Required. */
  configDir: string;
  /**
   * Environment name choosing appsettings.{Environment}.json. Defaults to ASPNETCORE_ENVIRONMENT, then
   * DOTNET_ENVIRONMENT, then NODE_ENV, then `Production`.
   */
  environment?: string;
  /** A PascalCase partial config applied above every file and variable. Defaults to none. */
  overrides?: unknown;
  /** Variables read for the environment name and `Section__Key` overrides. Defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Re-applies the config when the files change. Defaults to true. */
  watch?: boolean;
  /** Quiet time after a file event before reloading, in milliseconds. Defaults to the watcher's own default. */
  debounceMs?: number;
  /**
   * Who a request counts against, computed by your code (e.g. the account your auth middleware
   * found); replaces `RateLimiting.ClientKey`. Defaults to the config's `ClientKey`.
   */
  clientKey?: (req: Request) => string;
  /**
   * Answers refused requests (429, and 503 when the store fails with `OnError: "closed"`) instead of
   * the guard's error mapper; the headers are already set. Defaults to the error mapper's envelope.
   */
  onRateLimited?: RateLimitHandler;
  /**
   * Rate-limit rules per request from your code (e.g. by the plan of the account your auth found),
   * merged over the configured rules by name like a `RateLimiting.Policies` entry; `undefined` leaves
   * the request to the configured policies. Return the same array for the same plan. Defaults to none.
   */
  rateLimitPolicy?: RateLimitPolicyFunction;
  /** Requests for which this returns true are not rate limited at all (no headers, no counting). Defaults to none. */
  skipRateLimit?: (req: Request) => boolean;
  /**
   * Your own logger (pino, console, …): the guard writes every line to it instead of building log
   * files and console output from `Logging`; `Logging.LogLevel` still decides what is written.
   * Defaults to a winston logger built from `Logging`.
   */
  logger?: LogSink;
  /**
   * Your own ioredis client (`Redis`, or `Cluster`) for `RateLimiting.Store: "redis"`. It replaces
   * `Redis.Url`, `Mode`, `Nodes` and `Password`, and is left open by close(). Defaults to a client the
   * guard creates from the config and quits on close().
   */
  redis?: Redis | Cluster;
}>;

/** Options for {@link ApiGuard.close}. */
export interface ApiGuardCloseOptions {
  /** Longest wait for requests in flight to finish (and write their log lines), in ms. Defaults to 10000. */
  readonly timeoutMs?: number;
}

/** What {@link createApiGuard} resolves to. */
export interface ApiGuard {
  /** Mount first: `app.use(guard.before)`. HTTP metrics → trace ID → request log → HTTPS check → rate limit. */
  readonly before: RequestHandler;
  /** Mount after the routes: `app.use(guard.after)`. 404 for unmatched routes, then the error mapper. */
  readonly after: [RequestHandler, ErrorRequestHandler];
  /** The config in effect now (a reload replaces it). */
  readonly config: ApiGuardConfig;
  readonly logger: GuardLogger;
  /**
   * The rate limiter: `inspect(clientId)` and `reset(clientId, rule?)` a client's counters, `update()`
   * it, read its `store`; the guard applies config edits to it.
   */
  readonly limiter: RateLimitMiddleware;
  /**
   * The prom-client Registry holding the guard's metrics while `Metrics.Enabled` is true (the
   * default) and prom-client is installed (an optional peer dependency), else undefined. Register
   * your own metrics in it to serve them on the same endpoint. Typed as {@link MetricsRegistry}, the
   * part of a Registry we use, so that apps without prom-client compile; where a prom-client function
   * wants its own type, cast: `collectDefaultMetrics({ register: guard.metrics as Registry })`.
   */
  readonly metrics: MetricsRegistry | undefined;
  /**
   * Serves `guard.metrics` in the Prometheus text format (GET and HEAD): `app.get('/metrics',
   * guard.metricsHandler)`. While metrics are off it passes the request on (to your 404). It does
   * not check who asks: mount it where only your scraper reaches it (docs/observability.md).
   */
  readonly metricsHandler: RequestHandler;
  /**
   * Shuts the guard down: from now on requests are refused with 503 and Retry-After (through the
   * error envelope, never admitted without limits); requests already in flight may finish and write
   * their log lines (bounded by `timeoutMs`); then it stops watching, closes the rate-limit store
   * (quits Redis unless the client is yours) and flushes the logs. Safe to call twice. Call it from a
   * signal handler or after `server.close()`, not while handling a request: that request would be
   * waited for too.
   */
  close(options?: ApiGuardCloseOptions): Promise<void>;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Where the startup log goes: the config's Logging.Directory, else the default `logs` in the config
 * folder, else (the folder itself does not exist) the OS temp dir. Never into a missing config folder:
 * creating `<dir>/logs/stdout` made the next start find the folder and run on built-in defaults.
 */
function startupLogDirectory(configDir: string, config: ApiGuardConfig | undefined): { directory: string; avoid?: string } {
  if (config) return { directory: config.Logging.Directory };
  const dir = resolve(configDir);
  let exists = false;
  try {
    exists = statSync(dir).isDirectory();
  } catch {
    exists = false;
  }
  return exists ? { directory: join(dir, 'logs') } : { directory: join(tmpdir(), 'express-api-guard'), avoid: dir };
}

/** The listener that reports an edit the watcher rejected. */
function logRejectedEdit(log: CategoryLogger): (err: unknown) => void {
  return (err) => {
    const details = err as { code?: unknown; file?: unknown; line?: unknown; column?: unknown; path?: unknown };
    log.error(describe(err), {
      code: details.code,
      file: details.file,
      line: details.line,
      column: details.column,
      path: details.path,
      note: 'The edit was rejected; the running configuration is kept.',
    });
  };
}

/**
 * Builds the guard from the config in `configDir`. Rejects (after writing the cause with
 * startupLog to `logs/stdout/` and stderr; see startupLogDirectory) when the config is invalid or, with
 * `RateLimiting.Redis.OnError: "closed"`, Redis does not answer.
 */
export async function createApiGuard(options: CreateApiGuardOptions): Promise<ApiGuard> {
  checkGuardOptions(options);
  const loadOptions = {
    dir: options.configDir,
    ...(options.environment !== undefined ? { environment: options.environment } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
    ...(options.overrides !== undefined ? { overrides: options.overrides } : {}),
  };
  let config: ApiGuardConfig | undefined;
  let logger: GuardLogger | undefined;
  let limiter: ManagedLimiter | undefined;
  let watcher: ConfigWatcher | undefined;
  try {
    // The watcher starts before anything is built from the config, so an edit saved while startup is
    // still running (the Redis check can take seconds) is seen: assemble() applies it afterwards.
    if (options.watch !== false) {
      watcher = watchConfig({ ...loadOptions, ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}) });
    }
    const loaded = watcher?.current ?? loadConfig(loadOptions);
    config = loaded;
    const metrics = new ManagedMetrics(loaded.Metrics);
    const guardLogger = createLogger(loaded.Logging, {
      secrets: loaded.secretPolicy(),
      onDropped: metrics.logLinesDropped,
      ...(options.logger === undefined ? {} : { sink: options.logger }),
    });
    logger = guardLogger;
    const startLog = guardLogger.forCategory('ApiGuard');
    // Listening before the Redis check below: an edit saved (and rejected) while it waits is logged,
    // not dropped by a watcher that has no 'error' listener yet.
    watcher?.on('error', logRejectedEdit(startLog));
    watcher?.on('error', () => metrics.configReload('rejected'));
    watcher?.on('warning', (warning) => startLog.warn(warning.message, { code: warning.code, file: warning.file }));
    const files = loaded.sources.filter((source) => source.kind === 'file' && source.found).map((source) => source.name);
    startLog.info(`Configuration loaded for environment ${loaded.environment} (from ${loaded.environmentSource}): ${files.join(', ') || 'defaults only'}.`, {
      environment: loaded.environment,
      files,
    });
    for (const warning of loaded.warnings) startLog.warn(warning);
    metrics.logNotice(startLog);
    await checkRedisAtStartup(loaded.RateLimiting, guardLogger.forCategory('RateLimiting'), options.redis);
    const managed = new ManagedLimiter(loaded.RateLimiting, guardLogger.forCategory('RateLimiting'), limiterExtras(options), options.redis, metrics.registry);
    limiter = managed;
    return assemble(loaded, guardLogger, managed, metrics, watcher);
  } catch (err) {
    watcher?.close();
    await limiter?.close().catch(() => undefined);
    await logger?.close().catch(() => undefined);
    startupLog(err, { ...startupLogDirectory(options.configDir, config), ...(config ? { secrets: config.secretPolicy() } : {}) });
    throw err;
  }
}

function assemble(initial: ApiGuardConfig, logger: GuardLogger, limiter: ManagedLimiter, metrics: ManagedMetrics, watcher: ConfigWatcher | undefined): ApiGuard {
  const log = logger.forCategory('ApiGuard');
  const errorLog = logger.forCategory('Errors');
  let current = initial;
  let trace = traceId(traceOptions(current));
  let https = requireHttps(httpsOptions(current));
  let mapError = errorMapper(errorOptions(current, errorLog));
  const logRequests = requestLogger({ logger });

  // The limiter stays in the list when disabled: it checks `enabled` itself, and keeps its counters.
  // The HTTP histogram goes first so that it times the whole guard; it leaves the list when metrics are off.
  const listFor = (): RequestHandler[] => {
    const list = [trace, logRequests, https, limiter.middleware];
    const http = metrics.http;
    return http === undefined ? list : [http, ...list];
  };
  // Reads the current mapper on each error, so a reload needs no new Router and no re-mount.
  const apiGuardErrors: ErrorRequestHandler = function apiGuardErrors(err: unknown, req: Request, res: Response, next: NextFunction) {
    return mapError(err, req, res, next);
  };
  // The guard answers its own rejections (403 HTTPS, 429/503 rate limit) at once, as express-rate-limit
  // and helmet do: a rejected request goes no further into the app, which keeps a 429 as cheap as an
  // admitted request and renders the envelope even where guard.after is not mounted.
  const chain = swappableChain('apiGuardBefore', listFor(), apiGuardErrors);

  // Diffed against the config last applied, not the watcher's previous one: if an edit was rejected
  // here (the limiter refused its options), the next edit must still carry that section's change.
  const onChange = (next: ApiGuardConfig): void => {
    const previous = current;
    const changed = changedSections(previous, next);
    try {
      // Build everything first so a rejected option leaves the running set untouched.
      const nextTrace = changed.includes('Tracing') ? traceId(traceOptions(next)) : trace;
      const nextHttps = changed.includes('Https') || changed.includes('Environment') ? requireHttps(httpsOptions(next)) : https;
      const mapperChanged = changed.includes('Errors') || changed.includes('Environment') || changed.includes('Secrets');
      const nextMapper = mapperChanged ? errorMapper(errorOptions(next, errorLog)) : mapError;
      if (changed.includes('RateLimiting')) limiter.apply(next.RateLimiting);
      if (changed.includes('Logging') || changed.includes('Secrets')) logger.reconfigure(next.Logging, next.secretPolicy());
      if (changed.includes('Metrics')) {
        metrics.apply(next.Metrics);
        limiter.useRegistry(metrics.registry);
        metrics.logNotice(log);
      }
      trace = nextTrace;
      https = nextHttps;
      mapError = nextMapper;
      current = next;
      chain.replace(listFor());
      metrics.configReload('applied');
      for (const warning of next.warnings) if (!previous.warnings.includes(warning)) log.warn(warning);
      log.info(
        changed.length > 0 ? `Configuration reloaded; applied changes to ${changed.join(', ')}.` : 'Configuration reloaded; no guard settings changed.',
        { changed, sources: next.sources.filter((s) => s.found).map((s) => s.name) },
      );
    } catch (err) {
      metrics.configReload('rejected');
      log.error(`Configuration change could not be applied, keeping the running configuration: ${describe(err)}`);
    }
  };
  watcher?.on('change', onChange);
  // A change the watcher took while the guard was still being built had no listener yet.
  if (watcher !== undefined && watcher.current !== initial) onChange(watcher.current);

  // Requests between entering `before` and their response closing: close() lets them finish their log lines.
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const finished = (): void => {
    if (--inFlight === 0 && drained !== undefined) drained();
  };
  const before: RequestHandler = function apiGuardBefore(req, res, next) {
    inFlight++;
    onResponseDone(res, finished);
    chain.handler(req, res, next);
  };

  let closing: Promise<void> | undefined;
  return {
    before,
    after: [notFound(), apiGuardErrors],
    get config() {
      return current;
    },
    logger,
    limiter: limiter.middleware,
    get metrics() {
      return metrics.registry;
    },
    metricsHandler: metrics.handler,
    close(closeOptions?: ApiGuardCloseOptions) {
      closing ??= (async () => {
        watcher?.close();
        // The limiter refuses new requests (503 + Retry-After through the chain's error mapper) from here on.
        const limiterClosed = limiter.close().catch((err: unknown) => log.warn(`Closing the rate limiter failed: ${describe(err)}`));
        const timeoutMs = closeOptions?.timeoutMs ?? 10_000;
        if (inFlight > 0) {
          const waited = await new Promise<boolean>((resolve) => {
            drained = () => resolve(true);
            setTimeout(() => resolve(false), timeoutMs).unref();
          });
          if (!waited) log.warn(`Closing with ${inFlight} request(s) still in flight after ${timeoutMs} ms; their log lines are not written.`);
        }
        await limiterClosed;
        await logger.close();
      })();
      return closing;
    },
  };
}
