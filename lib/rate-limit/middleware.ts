/**
 * `rateLimit()`: the Express middleware. Per request: find the matching rules (cached per
 * method/path), skip whitelisted clients, one store call for all windows, headers, then next() or
 * next(RateLimitError). Every request is decided exactly once: by the store, or — only when the
 * store failed or its shard is in an outage (outages.ts) — by the fallback (fallback.ts).
 */
import type { NextFunction, Request, Response } from 'express';
import { type LogSink, requestIp } from '../core/index.js';
import { type ClientLimits, closedError, inspectClient, type LimiterParts, resetClient } from './client-limits.js';
import type { RateLimitMiddleware } from './middleware-type.js';
import { StoreUnavailableError } from './errors.js';
import { ScaledRules, unavailable } from './fallback.js';
import { writeRateLimitHeaders } from './headers.js';
import { claimKeys } from './key-namespace.js';
import { logMonitored } from './log-lines.js';
import type { RateLimitOptions } from './options.js';
import { refusal } from './refusal.js';
import { type Outage, Outages, PROBE_INTERVAL_MS } from './outages.js';
import type { CompiledRule, MatchedRules } from './rule-set.js';
import type { HitResult, RateLimitStore, StoreContext } from './store.js';
import { MemoryStore } from './stores/memory.js';
import { type LimiterState, resolveOptions } from './validate.js';

export type { RateLimitMiddleware };

class Limiter implements StoreContext {
  state: LimiterState;
  store: RateLimitStore;
  private raw: RateLimitOptions;
  private readonly slots = new Map<string, number>();
  private ownMemory: MemoryStore | undefined;
  private fallbackStore: MemoryStore | undefined;
  private scaled: ScaledRules;
  private releaseKeys: () => void = () => {};
  private claimed: { readonly store: RateLimitStore | undefined; readonly keyPrefix: string } | undefined;
  private closed = false;
  /** Requests waiting for the store; close() lets them finish. */
  private pending = 0;
  private drained: (() => void) | undefined;
  /** The limiter is the stores' context: they read clock and logger through it, so update() reaches them. */
  readonly clock = (): number => this.state.clock();
  get logger(): LogSink {
    return this.state.logger;
  }
  readonly outages = new Outages(
    () => this.state.logger,
    () =>
      this.state.onError === 'open'
        ? `admitting requests and counting them in this process (each limit divided by instances = ${this.state.instances})`
        : 'answering 503',
  );

  constructor(options: RateLimitOptions) {
    this.raw = { ...options };
    this.state = resolveOptions(this.raw, this.slotFor);
    this.scaled = new ScaledRules(this.state.instances);
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

  /** The store `state` asks for, with its keys claimed (throws, changing nothing, when they are taken). */
  private adopt(state: LimiterState): RateLimitStore {
    const wanted = state.store === 'memory' ? undefined : state.store;
    const claim = this.claimed;
    if (claim === undefined || claim.store !== wanted || claim.keyPrefix !== state.keyPrefix) {
      // A MemoryStore refuses a second limiter itself (its slots are per limiter).
      const release = wanted === undefined || wanted instanceof MemoryStore ? () => {} : claimKeys(this, wanted, state.keyPrefix, state.keyPrefixExplicit);
      try {
        if (wanted !== undefined && wanted !== this.store) wanted.attach?.(this);
      } catch (error) {
        release();
        throw error;
      }
      this.releaseKeys();
      this.releaseKeys = release;
      this.claimed = { store: wanted, keyPrefix: state.keyPrefix };
    }
    if (wanted !== undefined) return wanted;
    if (this.ownMemory === undefined) {
      this.ownMemory = new MemoryStore({ maxClients: state.maxClients });
      this.ownMemory.attach(this);
    } else {
      this.ownMemory.setMaxClients(state.maxClients);
    }
    return this.ownMemory;
  }

  update(partial: Partial<RateLimitOptions>): void {
    const raw = { ...this.raw, ...partial };
    const state = resolveOptions(raw, this.slotFor);
    const previous = this.store;
    const next = this.adopt(state);
    this.raw = raw;
    this.state = state;
    this.store = next;
    if (state.instances !== this.scaled.instances) this.scaled = new ScaledRules(state.instances);
    this.fallbackStore?.setMaxClients(state.maxClients);
    if (previous !== next) {
      if (previous === this.ownMemory) this.ownMemory = undefined;
      void Promise.resolve()
        .then(() => previous.close?.())
        .catch((error: unknown) => state.logger.warn('Closing the previous rate-limit store failed.', { error: String(error) }));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.pending > 0) {
      await new Promise<void>((resolve) => {
        this.drained = resolve;
        // Stores that bound their calls settle by the deadline; the others are cut off there too.
        setTimeout(resolve, this.state.timeoutMs + 100).unref();
      });
    }
    this.releaseKeys();
    await Promise.all([this.store.close?.(), this.fallbackStore?.close()]);
    if (this.ownMemory !== this.store) this.ownMemory?.close();
  }

  inspect(clientId: string): Promise<ClientLimits> {
    return this.closed ? Promise.reject(closedError()) : inspectClient(this.parts(), clientId);
  }

  reset(clientId: string, ruleName?: string): Promise<number | undefined> {
    return this.closed ? Promise.reject(closedError()) : resetClient(this.parts(), clientId, ruleName);
  }

  private parts(): LimiterParts {
    return { state: this.state, store: this.store, fallback: this.fallbackStore, slots: this.slots };
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
    if (this.closed) return st.handler(req, res, next, unavailable(res, 'The service is shutting down; try again in a moment.', 1));
    if (!st.enabled) return next();
    if (st.perClient) {
      if (st.skip !== null && st.skip(req)) return next();
      if (st.policies !== null || st.policyFunction !== null) return this.handleByPolicy(st, req, res, next);
    }
    const set = st.matcher.match(req);
    if (set === null) return next();
    const key = this.clientKey(st, req);
    if (key === undefined) return next();
    this.count(st, set, key, req, res, next);
  }

  /** The request's client key, or undefined when the client is whitelisted (by address or by key). */
  private clientKey(st: LimiterState, req: Request): string | undefined {
    if (st.ipWhitelist !== null && st.ipWhitelist.has(requestIp(req) ?? '')) return undefined;
    const key = st.key(req);
    return st.clientWhitelist !== null && st.clientWhitelist.has(key) ? undefined : key;
  }

  /** With policies the client comes first: its policy decides which rules the request matches. */
  private handleByPolicy(st: LimiterState, req: Request, res: Response, next: NextFunction): void {
    const key = this.clientKey(st, req);
    if (key === undefined) return next();
    const policy = st.policyFunction?.forRequest(req) ?? st.policies?.forRequest(req, key) ?? null;
    const set = (policy === null ? st.matcher : policy.matcher).match(req);
    if (set === null) return next();
    this.count(st, set, key, req, res, next);
  }

  /** One store call for every window of the request, or the fallback while its shard is out. */
  private count(st: LimiterState, set: MatchedRules, key: string, req: Request, res: Response, next: NextFunction): void {
    const now = st.clock();
    const store = this.store;
    if (store === this.ownMemory) return this.finish(st, set, (store as MemoryStore).hit(key, set.windows, now, st.stack), key, req, res, next);
    const shard = store.shardOf === undefined ? 0 : store.shardOf(key);
    const outage = this.outages.of(shard);
    if (outage !== undefined && !outage.probeTurn()) return this.withoutStore(outage, undefined, st, set, key, now, req, res, next);
    const epoch = this.outages.epoch;
    // Timed when the reply is asynchronous (a shared store such as Redis); the memory store's are not.
    const started = st.metrics.storeStart();
    let reply: HitResult | Promise<HitResult>;
    try {
      reply = store.hit(key, set.windows, now, st.stack, { deadline: performance.now() + st.timeoutMs, keyPrefix: st.keyPrefix });
    } catch (error) {
      reply = Promise.reject(error);
    }
    if (typeof (reply as Promise<HitResult>).then !== 'function') return this.finish(st, set, reply as HitResult, key, req, res, next);
    this.pending++;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const failed = (error: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.settled();
      st.metrics.storeDone(started);
      const wasNone = this.outages.none;
      const joined = this.outages.failed(shard, epoch, this.describe(store, shard), error);
      if (wasNone && !this.outages.none) st.metrics.storeUp(false);
      this.withoutStore(joined, error, st, set, key, now, req, res, next);
    };
    if (store.boundsCalls !== true) {
      // The store does not bound its calls, so the limiter stops waiting at the deadline, after one
      // more turn of the event loop (a reply already received but not yet read wins).
      timer = setTimeout(() => setImmediate(() => failed(new StoreUnavailableError(`no answer within ${st.timeoutMs} ms`))), st.timeoutMs);
    }
    (reply as Promise<HitResult>).then((result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.settled();
      st.metrics.storeDone(started);
      if (!this.outages.none) this.recovered(st, store, shard, epoch);
      this.finish(st, set, result, key, req, res, next);
    }, failed);
  }

  private settled(): void {
    if (--this.pending === 0 && this.drained !== undefined) this.drained();
  }

  private describe(store: RateLimitStore, shard: number): string {
    return store.describeShard?.(shard) ?? 'the rate-limit store';
  }

  /** A call succeeded: if it ended its shard's outage, the fallback forgets that outage's clients. */
  private recovered(st: LimiterState, store: RateLimitStore, shard: number, epoch: number): void {
    const ended = this.outages.succeeded(shard, epoch);
    // The store counts as up again only when no shard is still down.
    if (ended !== undefined && this.outages.none) st.metrics.storeUp(true);
    if (ended === undefined || this.fallbackStore === undefined) return;
    if (store.shardOf === undefined) this.fallbackStore.resetAll();
    else this.fallbackStore.forget((client) => ended.shards.has((store.shardOf as (key: string) => number)(client)));
  }

  /** Decides a request without the store: counted in the fallback (open) or refused with 503 (closed). */
  private withoutStore(
    outage: Outage | undefined,
    error: unknown,
    st: LimiterState,
    set: MatchedRules,
    key: string,
    now: number,
    req: Request,
    res: Response,
    next: NextFunction,
  ): void {
    if (outage !== undefined) outage.decided++;
    if (st.onError === 'open') {
      st.metrics.fallbackDecision();
      const scaled = this.scaled.of(set);
      return this.finish(st, scaled, this.fallback().hit(key, scaled.windows, now, st.stack), key, req, res, next);
    }
    st.handler(req, res, next, unavailable(res, 'Rate limiting is temporarily unavailable; try again in a moment.', PROBE_INTERVAL_MS / 1000, error));
  }

  private finish(st: LimiterState, set: MatchedRules, result: HitResult, key: string, req: Request, res: Response, next: NextFunction): void {
    try {
      if (st.headers !== 'none') writeRateLimitHeaders(res, st.headers, set, result);
      if (result.blocked === -1 && set.monitors !== null) this.monitor(st, set, result, key, req, res);
    } catch (error) {
      return next(error);
    }
    if (result.blocked === -1) return next();
    const window = set.windows[result.blocked];
    if (window === undefined) return next(new Error(`rate-limit store answered blocked=${result.blocked} for ${set.windows.length} windows`));
    st.metrics.refused(window.name);
    const error = refusal(st, window, result.resetsInMs[result.blocked] ?? 1000, req, res);
    st.handler(req, res, next, error);
  }

  /** An admitted request: its monitor windows over their limit are monitored requests. */
  private monitor(st: LimiterState, set: MatchedRules, result: HitResult, key: string, req: Request, res: Response): void {
    for (const i of set.monitors as readonly number[]) {
      const window = set.windows[i] as CompiledRule;
      const count = result.counts[i] as number;
      if (count > window.limit) this.monitored(st, window, count, key, req, res);
    }
  }

  /**
   * A request `window` would have refused, admitted because the rule is in Monitor mode: the one
   * place that decides a monitored request (metrics count each one here). The first per client and
   * window (the count just passed the limit, which one request sees, in any number of processes
   * sharing the store) is logged at Warning; the client is its key, so an API key shows hashed.
   */
  private monitored(st: LimiterState, window: CompiledRule, count: number, key: string, req: Request, res: Response): void {
    st.metrics.monitored(window.name);
    if (count === window.limit + 1) logMonitored(st.logger, window, key, req, res);
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
  middleware.inspect = (clientId) => limiter.inspect(clientId);
  middleware.reset = (clientId, ruleName) => limiter.reset(clientId, ruleName);
  Object.defineProperty(middleware, 'store', { get: () => limiter.store, enumerable: true });
  return middleware;
}
