/**
 * The contract between the limiter and its stores: one call per request covering every rule that
 * matched, so a store can check and count all windows in one operation (one map entry, one script).
 */

import type { LogSink } from '../core/index.js';

/** One rule as a store sees it. */
export interface RateLimitWindow {
  /** Rule name; stores key counters by it (`rl:{client}:<name>`). */
  readonly name: string;
  /** Requests admitted per window. */
  readonly limit: number;
  /** Window length in milliseconds. */
  readonly periodMs: number;
  /** The period as configured, e.g. `10m`. */
  readonly period: string;
  /**
   * Small integer unique per rule name within one limiter, stable across `update()`; lets the
   * memory store keep a client's windows in one flat array.
   */
  readonly slot: number;
  /**
   * A monitor-mode rule: counted like the others (so its count shows how far a client would be over),
   * but never refuses. Admission looks at the other windows only. Defaults to false.
   */
  readonly monitor?: boolean;
}

/** What a store answers for one request. */
export interface HitResult {
  /** Index (into the windows passed) of the window that refused the request, or -1 when admitted. */
  readonly blocked: number;
  /** Per window: the count including this request if it was counted, otherwise the count so far. */
  readonly counts: readonly number[];
  /** Per window: milliseconds until it resets (the full period when it has not started). */
  readonly resetsInMs: readonly number[];
}

/** A client's counters as a store reads them without counting (for `limiter.inspect()`). */
export interface WindowCounts {
  /** Per window: requests counted in the running window; 0 when none is running. */
  readonly counts: readonly number[];
  /** Per window: milliseconds until the running window resets; 0 when none is running. */
  readonly resetsInMs: readonly number[];
}

/** Context handed to a store when a limiter starts using it. */
export interface StoreContext {
  /** The limiter's clock (milliseconds). */
  readonly clock: () => number;
  /** Where the store reports problems worth an operator's attention. */
  readonly logger: LogSink;
}

/** Per-call details the limiter passes with every hit. */
export interface StoreCall {
  /**
   * `performance.now()` time by which the limiter needs the answer. A store that sets
   * {@link RateLimitStore.boundsCalls} settles the hit by then and never counts it afterwards.
   */
  readonly deadline: number;
  /** The limiter's `keyPrefix` option ('' when none): shared stores put it before the client's key. */
  readonly keyPrefix: string;
}

/**
 * A rate-limit store. `hit` must be atomic across windows: admit only if every enforcing window
 * (every window that is not `monitor`) has room, then count the request in all of them (a refused
 * one too when `stack`).
 */
export interface RateLimitStore {
  /**
   * Checks and counts one request. With `stack` false a refused request is counted nowhere; with
   * `stack` true it is counted in every window. `now` is the limiter's clock; shared stores may use
   * their own (Redis uses key TTLs).
   */
  hit(key: string, windows: readonly RateLimitWindow[], now: number, stack: boolean, call?: StoreCall): HitResult | Promise<HitResult>;
  /**
   * True when `hit()` settles by `call.deadline` on its own and a hit it gave up is never counted
   * later (RedisStore). Otherwise the limiter stops waiting at the deadline itself, and whatever the
   * store does with the call afterwards is out of its hands.
   */
  readonly boundsCalls?: boolean;
  /**
   * The part of the store holding this client's counters (a Redis Cluster slot). Outages are tracked
   * per shard, so clients on healthy shards keep being counted exactly. Without it: one shard.
   */
  shardOf?(key: string): number;
  /** Where a shard lives, for log lines (e.g. `127.0.0.1:7001`); never holds credentials. */
  describeShard?(shard: number): string;
  /**
   * Identifies the counters this store would share with other stores, e.g. `redis 10.0.0.5:6379/0 rl:`,
   * so two limiters cannot count in the same keys by accident. Without it the store object itself is used.
   */
  readonly sharedTarget?: string;
  /** Called once when a limiter adopts the store. */
  attach?(context: StoreContext): void;
  /**
   * Reads a client's counters for `windows` without counting (limiter.inspect()). Without it,
   * inspect() rejects saying the store cannot be inspected.
   */
  peek?(key: string, windows: readonly RateLimitWindow[], now: number, call?: StoreCall): WindowCounts | Promise<WindowCounts>;
  /**
   * Deletes a client's counters for `windows` (limiter.reset()). Answers how many of them were
   * running (undefined when the store cannot tell).
   */
  clear?(key: string, windows: readonly RateLimitWindow[], now: number, call?: StoreCall): number | undefined | Promise<number | undefined>;
  /** Forgets one client (all windows); limiter.reset() uses it when the store has no clear(). */
  resetKey?(key: string): void | Promise<void>;
  /** Releases timers and connections the store owns. */
  close?(): void | Promise<void>;
}

/**
 * Decides admission from counts read before counting (`counted` false) or after counting every
 * window (`counted` true). The blocking window is the full one that resets last: that is when the
 * request could next be admitted. Monitor windows never block.
 */
export function blockedWindow(
  windows: readonly RateLimitWindow[],
  counts: readonly number[],
  resetsInMs: readonly number[],
  counted: boolean,
): number {
  let blocked = -1;
  let blockedReset = -1;
  for (let i = 0; i < windows.length; i++) {
    const window = windows[i] as RateLimitWindow;
    if (window.monitor === true) continue;
    const limit = window.limit;
    const count = counts[i] as number;
    const full = counted ? count > limit : count >= limit;
    if (full && (resetsInMs[i] as number) > blockedReset) {
      blocked = i;
      blockedReset = resetsInMs[i] as number;
    }
  }
  return blocked;
}
