/**
 * `rateLimit()`: the Express middleware. Per request: find the matching rules (cached per
 * method/path), skip whitelisted clients, one store call for all windows, headers, then next() or
 * next(RateLimitError). Store failures go through StoreHealth (fallback memory store or 503).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { answerRefusal, ApiError, type LogSink, RateLimitError, requestIp, requestPath, withoutStack } from '../core/index.js';
import { StoreUnavailableError } from './errors.js';
import { writeRateLimitHeaders } from './headers.js';
import type { RateLimitOptions } from './options.js';
import type { MatchedRules } from './rule-set.js';
import { StoreHealth } from './store-health.js';
import type { HitResult, RateLimitStore, StoreContext } from './store.js';
import { MemoryStore } from './stores/memory.js';
import { type LimiterState, resolveOptions } from './validate.js';

/** The middleware returned by {@link rateLimit}. */
export type RateLimitMiddleware = RequestHandler & {
  /**
   * Applies new options to the running limiter (merged over the current ones). Counters belong to
   * rule names: a rule keeps its current counts when its name is unchanged, even if its limit,
   * period or endpoint changed. A different store instance replaces (and closes) the current one.
   * Throws RateLimitOptionsError and changes nothing when the options are invalid.
   */
  update(options: Partial<RateLimitOptions>): void;
  /** Stops timers and closes the store (a RedisStore given a client leaves that client open). */
  close(): Promise<void>;
  /** The store in use. */
  readonly store: RateLimitStore;
};

class Limiter implements StoreContext {
  state: LimiterState;
  store: RateLimitStore;
  private raw: RateLimitOptions;
  private readonly slots = new Map<string, number>();
  private ownMemory: MemoryStore | undefined;
  private fallbackStore: MemoryStore | undefined;
  /** The limiter is the stores' context: they read clock and logger through it, so update() reaches them. */
  readonly clock = (): number => this.state.clock();
  get logger(): LogSink {
    return this.state.logger;
  }
  readonly health = new StoreHealth(
    () => this.state.logger,
    () => this.state.onError,
  );

  constructor(options: RateLimitOptions) {
    this.raw = { ...options };
    this.state = resolveOptions(this.raw, this.slotFor);
    this.store = this.adopt(this.state);
  }

  private readonly slotFor = (name: string): number => {
    let slot = this.slots.get(name);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(name, slot);
    }
    return slot;
  };

  private adopt(state: LimiterState): RateLimitStore {
    if (state.store === 'memory') {
      if (this.ownMemory === undefined) {
        this.ownMemory = new MemoryStore({ maxClients: state.maxClients });
        this.ownMemory.attach(this);
      } else {
        this.ownMemory.setMaxClients(state.maxClients);
      }
      return this.ownMemory;
    }
    if (state.store !== this.store) state.store.attach?.(this);
    return state.store;
  }

  update(partial: Partial<RateLimitOptions>): void {
    const raw = { ...this.raw, ...partial };
    const state = resolveOptions(raw, this.slotFor);
    const previous = this.store;
    const next = this.adopt(state);
    this.raw = raw;
    this.state = state;
    this.store = next;
    this.fallbackStore?.setMaxClients(state.maxClients);
    if (previous !== next) {
      if (previous === this.ownMemory) this.ownMemory = undefined;
      void Promise.resolve()
        .then(() => previous.close?.())
        .catch((error: unknown) =>
        state.logger.warn('Closing the previous rate-limit store failed.', { error: String(error) }),
      );
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.store.close?.(), this.fallbackStore?.close()]);
    if (this.ownMemory !== this.store) this.ownMemory?.close();
  }

  private fallback(): MemoryStore {
    if (this.fallbackStore === undefined) {
      this.fallbackStore = new MemoryStore({ maxClients: this.state.maxClients });
      this.fallbackStore.attach(this);
    }
    return this.fallbackStore;
  }

  handle(req: Request, res: Response, next: NextFunction): void {
    const st = this.state;
    if (!st.enabled) return next();
    const set = st.matcher.match(req.method, req.originalUrl ?? req.url);
    if (set === null) return next();
    if (st.ipWhitelist !== null && st.ipWhitelist.has(requestIp(req) ?? '')) return next();
    const key = st.key(req);
    if (st.clientWhitelist !== null && st.clientWhitelist.has(key)) return next();
    const now = st.clock();
    if (this.health.skip()) return this.storeFailed(undefined, st, set, key, now, req, res, next);
    const epoch = this.health.epoch;
    // Timed when the reply is asynchronous (a shared store such as Redis); the memory store's are not.
    const started = st.metrics.storeStart();
    let reply: HitResult | Promise<HitResult>;
    try {
      reply = this.store.hit(key, set.windows, now, st.stack);
    } catch (error) {
      reply = Promise.reject(error);
    }
    if (typeof (reply as Promise<HitResult>).then !== 'function') {
      return this.finish(st, set, reply as HitResult, req, res, next);
    }
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      st.metrics.storeDone(started);
      this.storeFailed(new StoreUnavailableError(`no answer within ${st.timeoutMs} ms`), st, set, key, now, req, res, next, epoch);
    }, st.timeoutMs);
    (reply as Promise<HitResult>).then(
      (result) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        st.metrics.storeDone(started);
        const before = this.health.epoch;
        this.health.succeeded(epoch);
        if (this.health.epoch !== before) st.metrics.storeUp(true);
        if (this.health.epoch !== epoch) this.fallbackStore?.resetAll();
        this.finish(st, set, result, req, res, next);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        st.metrics.storeDone(started);
        this.storeFailed(error, st, set, key, now, req, res, next, epoch);
      },
    );
  }

  /** A store call failed (error given) or is being skipped during an outage (error undefined). */
  private storeFailed(
    error: unknown,
    st: LimiterState,
    set: MatchedRules,
    key: string,
    now: number,
    req: Request,
    res: Response,
    next: NextFunction,
    epoch = -1,
  ): void {
    if (error !== undefined && this.health.failed(epoch, error)) st.metrics.storeUp(false);
    if (st.onError === 'open') st.metrics.fallbackDecision();
    if (st.onError === 'open') return this.finish(st, set, this.fallback().hit(key, set.windows, now, st.stack), req, res, next);
    const retryAfter = String(Math.ceil(this.health.retryAfterMs / 1000));
    res.setHeader('Retry-After', retryAfter);
    const unavailable = withoutStack(
      () =>
        new ApiError('Rate limiting is temporarily unavailable; try again in a moment.', {
          status: 503,
          type: 'Unavailable',
          headers: { 'Retry-After': retryAfter },
          cause: error,
        }),
    );
    st.handler(req, res, next, unavailable);
  }

  private finish(st: LimiterState, set: MatchedRules, result: HitResult, req: Request, res: Response, next: NextFunction): void {
    try {
      if (st.headers !== 'none') writeRateLimitHeaders(res, st.headers, set, result);
    } catch (error) {
      return next(error);
    }
    if (result.blocked === -1) return next();
    const window = set.windows[result.blocked];
    if (window === undefined) return next(new Error(`rate-limit store answered blocked=${result.blocked} for ${set.windows.length} windows`));
    st.metrics.refused(window.name);
    const retryAfter = Math.max(1, Math.ceil((result.resetsInMs[result.blocked] ?? 1000) / 1000));
    res.setHeader('Retry-After', String(retryAfter));
    // The request logger puts the blocking rule on the request's line (the mapper logs the 429 at Debug).
    if (res.locals !== undefined) res.locals.rateLimitRule = window.name;
    const error = withoutStack(
      () => new RateLimitError({ rule: window.name, limit: window.limit, period: window.period, retryAfter, status: st.statusCode }),
    );
    // Used alone, the limiter answers the refusal itself, so nothing else would log it. Behind a
    // handler (the guard's) the refusal is logged where it is answered: one line per 429, not two.
    if (st.handler === answerRefusal) {
      const path = requestPath(req);
      st.logger.info(`Rate limit: refused ${req.method} ${path}: rule "${window.name}" (${window.limit} per ${window.period}), retry after ${retryAfter} s`, {
        rule: window.name,
        limit: window.limit,
        period: window.period,
        retryAfter,
        method: req.method,
        path,
      });
    }
    st.handler(req, res, next, error);
  }
}

/**
 * Multi-window rate limiting. With no options: the API v2 six-rule defaults, keyed by IP, in memory.
 *
 * ```ts
 * app.use(rateLimit({ store: new RedisStore({ url: process.env.REDIS_URL }) }));
 * ```
 */
export function rateLimit(options: RateLimitOptions = {}): RateLimitMiddleware {
  const limiter = new Limiter(options);
  const middleware = function rateLimitMiddleware(req: Request, res: Response, next: NextFunction): void {
    limiter.handle(req, res, next);
  } as RateLimitMiddleware;
  middleware.update = (partial) => limiter.update(partial);
  middleware.close = () => limiter.close();
  Object.defineProperty(middleware, 'store', { get: () => limiter.store, enumerable: true });
  return middleware;
}
