/**
 * Compatibility path: backs each rule with its own express-rate-limit `Store` (rate-limit-redis,
 * rate-limit-memcached, …). Those stores only know "increment one key", so admission is
 * increment-all-then-undo: never over-admits, but under contention a refused request may briefly
 * hold a slot in another window. Costs one store call per rule per request (two when refused).
 * `redisCommands()` adapts an ioredis client (or Cluster) for rate-limit-redis.
 * inspect() works when the stores implement express-rate-limit's optional `get()` (its MemoryStore
 * and rate-limit-redis do); reset() uses `resetKey()`, which every store has.
 */
import type { Options as ErlOptions, Store as ErlStore } from 'express-rate-limit';
import { Cluster, type Redis } from 'ioredis';
import { type HitResult, type RateLimitStore, type RateLimitWindow, type StoreCall, type WindowCounts, blockedWindow } from '../store.js';

/** Options for {@link ExpressRateLimitStoreAdapter}. */
export interface ExpressRateLimitStoreAdapterOptions {
  /**
   * Makes the store for one rule; called once per rule name (again if its period changes). Give
   * each store its own key prefix, e.g. `new RedisStore({ sendCommand, prefix: \`rl:${rule.name}:\` })`.
   */
  readonly createStore: (rule: Readonly<{ name: string; limit: number; periodMs: number }>) => ErlStore;
}

export class ExpressRateLimitStoreAdapter implements RateLimitStore {
  private readonly createStore: ExpressRateLimitStoreAdapterOptions['createStore'];
  private readonly stores = new Map<string, { periodMs: number; store: ErlStore }>();

  constructor(options: Readonly<ExpressRateLimitStoreAdapterOptions>) {
    if (typeof options?.createStore !== 'function') {
      throw new TypeError('ExpressRateLimitStoreAdapter needs { createStore: (rule) => store }.');
    }
    this.createStore = options.createStore;
  }

  async hit(clientKey: string, windows: readonly RateLimitWindow[], _now: number, stack: boolean, call?: StoreCall): Promise<HitResult> {
    const key = (call?.keyPrefix ?? '') + clientKey;
    const stores = windows.map((window) => this.storeFor(window));
    const replies = await Promise.all(stores.map((store) => store.increment(key)));
    const now = Date.now();
    const counts = replies.map((reply) => reply.totalHits);
    const resetsInMs = replies.map((reply, i) =>
      reply.resetTime === undefined ? (windows[i] as RateLimitWindow).periodMs : Math.max(0, reply.resetTime.getTime() - now),
    );
    const blocked = blockedWindow(windows, counts, resetsInMs, true);
    if (blocked !== -1 && !stack) {
      await Promise.all(stores.map((store) => store.decrement(key)));
      for (let i = 0; i < counts.length; i++) counts[i] = (counts[i] as number) - 1;
    }
    return { blocked, counts, resetsInMs };
  }

  /** Reads each window's store with `get()`; rejects when one of them has none. */
  async peek(clientKey: string, windows: readonly RateLimitWindow[], _now: number, call?: StoreCall): Promise<WindowCounts> {
    const key = (call?.keyPrefix ?? '') + clientKey;
    const stores = windows.map((window) => this.storeFor(window));
    if (stores.some((store) => typeof store.get !== 'function')) {
      throw new TypeError('this express-rate-limit store cannot be inspected: it has no get() (express-rate-limit\'s MemoryStore and rate-limit-redis have one)');
    }
    const infos = await Promise.all(stores.map((store) => (store.get as NonNullable<ErlStore['get']>)(key)));
    const now = Date.now();
    const running = (i: number): boolean => infos[i] !== undefined && (infos[i]?.resetTime === undefined || (infos[i]?.resetTime?.getTime() ?? 0) > now);
    return {
      counts: infos.map((info, i) => (running(i) ? (info?.totalHits ?? 0) : 0)),
      resetsInMs: infos.map((info, i) => (running(i) && info?.resetTime !== undefined ? info.resetTime.getTime() - now : 0)),
    };
  }

  /** Resets the client in each window's store; how many were running is known only when the stores have get(). */
  async clear(clientKey: string, windows: readonly RateLimitWindow[], now: number, call?: StoreCall): Promise<number | undefined> {
    const key = (call?.keyPrefix ?? '') + clientKey;
    const stores = windows.map((window) => this.storeFor(window));
    const before = stores.every((store) => typeof store.get === 'function') ? await this.peek(clientKey, windows, now, call) : undefined;
    await Promise.all(stores.map((store) => store.resetKey(key)));
    return before?.counts.filter((count) => count > 0).length;
  }

  async resetKey(key: string): Promise<void> {
    await Promise.all([...this.stores.values()].map(({ store }) => store.resetKey(key)));
  }

  async close(): Promise<void> {
    await Promise.all([...this.stores.values()].map(({ store }) => store.shutdown?.()));
    this.stores.clear();
  }

  private storeFor(window: RateLimitWindow): ErlStore {
    const known = this.stores.get(window.name);
    if (known !== undefined && known.periodMs === window.periodMs) return known.store;
    // The replaced store may hold a timer or connection (express-rate-limit's MemoryStore has an interval).
    if (known !== undefined) Promise.resolve().then(() => known.store.shutdown?.()).catch(() => {});
    const store = this.createStore({ name: window.name, limit: window.limit, periodMs: window.periodMs });
    // express-rate-limit stores read only windowMs (and sometimes limit) from the options in init().
    const init = store.init?.({ windowMs: window.periodMs, limit: window.limit } as unknown as ErlOptions);
    if (init instanceof Promise) init.catch(() => {});
    this.stores.set(window.name, { periodMs: window.periodMs, store });
    return store;
  }
}

/** A reply as rate-limit-redis types it. */
export type RedisCommandReply = boolean | number | string | (boolean | number | string)[];

/** What rate-limit-redis passes to `sendCommandCluster`. */
export interface RedisCommandDetails {
  readonly key?: string;
  readonly isReadOnly: boolean;
  readonly command: string[];
}

/**
 * A `sendCommandCluster` for rate-limit-redis (and stores like it) over an ioredis `Redis` or
 * `Cluster`. On a Cluster, `SCRIPT LOAD` goes to every master: sent as a plain command it reaches one
 * random node, and every other master (or a replica promoted by a failover, whose script cache is
 * empty) answers NOSCRIPT. rate-limit-redis reloads once on NOSCRIPT, which then loads everywhere.
 * Other commands go to the node owning their key.
 *
 * ```ts
 * new RedisStore({ prefix: `rl:${rule.name}:`, sendCommandCluster: redisCommands(cluster) }) // rate-limit-redis
 * ```
 */
export function redisCommands(client: Redis | Cluster): (details: RedisCommandDetails) => Promise<RedisCommandReply> {
  return async ({ command }) => {
    const [name = '', ...args] = command;
    if (client instanceof Cluster && name.toUpperCase() === 'SCRIPT' && (args[0] ?? '').toUpperCase() === 'LOAD') {
      const masters = client.nodes('master');
      if (masters.length === 0) throw new Error('the Redis Cluster has no connected master to load the script on');
      const shas = await Promise.all(masters.map((node) => node.call(name, ...args) as Promise<string>));
      return shas[0] as string;
    }
    return (await client.call(name, ...args)) as RedisCommandReply;
  };
}
