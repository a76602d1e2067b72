/**
 * In-process store: one Map entry per client holding every window in one flat array
 * (`[count0, resetAt0, count1, resetAt1, …]` indexed by rule slot), so a request costs one Map
 * lookup. Bounded by `maxClients` with second-chance (CLOCK) eviction, which approximates
 * least-recently-seen without reordering the Map on every hit.
 */
import { OptionKit, silentSink, type KeysEnum } from '../../core/index.js';
import { type HitResult, type RateLimitStore, type RateLimitWindow, type StoreContext, type WindowCounts, blockedWindow } from '../store.js';

/** Options for {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Most clients remembered at once; beyond it the least recently seen are evicted. Defaults to 100 000. */
  readonly maxClients?: number;
  /** How often expired clients are swept, in milliseconds. Defaults to 60 000. */
  readonly sweepIntervalMs?: number;
}

class Entry {
  /** Pairs of (count, resetAt ms) per slot; resetAt 0 means the window has not started. */
  windows: number[] = [];
  /** Latest resetAt over all windows; the entry is garbage once the clock passes it. */
  expiresAt = 0;
  /** Second-chance bit: set on every hit, cleared when eviction passes over the entry. */
  seen = false;
}

const WARN_INTERVAL_MS = 60_000;
const KEYS: KeysEnum<MemoryStoreOptions> = { maxClients: true, sweepIntervalMs: true };
const kit: OptionKit = new OptionKit({ name: 'new MemoryStore', code: 'RATE_LIMIT', docs: 'rate-limiting.md' });

export class MemoryStore implements RateLimitStore {
  private readonly clients = new Map<string, Entry>();
  private maxClients: number;
  private readonly sweepIntervalMs: number;
  private sweepTimer: NodeJS.Timeout | undefined;
  /** Read on use, not copied: a limiter's context follows its update()s. */
  private context: StoreContext = { clock: Date.now, logger: silentSink };
  private attached = false;
  private lastWarnAt = -Infinity;
  /** Clients evicted for space since the last warning (reported in the next one). */
  private evictedSinceWarn = 0;

  constructor(options: Readonly<MemoryStoreOptions> = {}) {
    const given = kit.object(options, KEYS);
    this.maxClients = checkMaxClients(given.maxClients ?? 100_000);
    this.sweepIntervalMs = kit.integer(given.sweepIntervalMs, 60_000, 0, 2 ** 31 - 1, 'sweepIntervalMs');
  }

  /** Clients currently remembered. */
  get size(): number {
    return this.clients.size;
  }

  attach(context: StoreContext): void {
    // Slots are assigned per limiter, so two limiters sharing one store would overwrite each other's counters.
    if (this.attached) {
      kit.fail('STORE', 'store', 'this MemoryStore is already used by another limiter; give each rateLimit() its own MemoryStore.');
    }
    this.attached = true;
    this.context = context;
    this.startSweeping();
  }

  /** Changes the bound; takes effect at the next new client. */
  setMaxClients(maxClients: number): void {
    this.maxClients = checkMaxClients(maxClients);
  }

  hit(key: string, windows: readonly RateLimitWindow[], now: number, stack: boolean): HitResult {
    let entry = this.clients.get(key);
    if (entry === undefined) {
      entry = new Entry();
      this.clients.set(key, entry);
      if (this.clients.size > this.maxClients) this.evict(now, key);
    } else {
      entry.seen = true;
    }
    const n = windows.length;
    const need = 2 * maxSlot(windows) + 2;
    if (entry.windows.length < need) entry.windows = grow(entry.windows, need);
    const state = entry.windows;
    const counts = new Array<number>(n);
    const resetsInMs = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const window = windows[i] as RateLimitWindow;
      const at = window.slot * 2;
      let resetAt = state[at + 1] as number;
      if (resetAt <= now) {
        state[at] = 0;
        state[at + 1] = resetAt = 0;
      } else if (resetAt > now + window.periodMs) {
        // The period was shortened by update(): the running window ends no later than a new one would.
        state[at + 1] = resetAt = now + window.periodMs;
      }
      counts[i] = state[at] as number;
      resetsInMs[i] = resetAt === 0 ? window.periodMs : resetAt - now;
    }
    let blocked = blockedWindow(windows, counts, resetsInMs, false);
    if (blocked === -1 || stack) {
      for (let i = 0; i < n; i++) {
        const window = windows[i] as RateLimitWindow;
        const at = window.slot * 2;
        if (state[at + 1] === 0) {
          state[at + 1] = now + window.periodMs;
          if (state[at + 1] as number > entry.expiresAt) entry.expiresAt = state[at + 1] as number;
        }
        state[at] = counts[i] = (counts[i] as number) + 1;
      }
      if (stack) blocked = blockedWindow(windows, counts, resetsInMs, true);
    }
    return { blocked, counts, resetsInMs };
  }

  peek(key: string, windows: readonly RateLimitWindow[], now: number): WindowCounts {
    const state = this.clients.get(key)?.windows;
    const counts = windows.map(() => 0);
    const resetsInMs = windows.map(() => 0);
    if (state !== undefined) {
      windows.forEach((window, i) => {
        const resetAt = state[window.slot * 2 + 1] ?? 0;
        if (resetAt <= now) return;
        counts[i] = state[window.slot * 2] as number;
        resetsInMs[i] = Math.min(resetAt - now, window.periodMs);
      });
    }
    return { counts, resetsInMs };
  }

  clear(key: string, windows: readonly RateLimitWindow[], now: number): number {
    const entry = this.clients.get(key);
    if (entry === undefined) return 0;
    const state = entry.windows;
    let running = 0;
    for (const window of windows) {
      const at = window.slot * 2;
      if (at >= state.length) continue;
      if ((state[at + 1] as number) > now && (state[at] as number) > 0) running++;
      state[at] = 0;
      state[at + 1] = 0;
    }
    // Nothing left running: the entry goes now rather than at the next sweep.
    let live = false;
    for (let at = 1; at < state.length && !live; at += 2) live = (state[at] as number) > now;
    if (!live) this.clients.delete(key);
    return running;
  }

  resetKey(key: string): void {
    this.clients.delete(key);
  }

  /** Forgets every client. */
  resetAll(): void {
    this.clients.clear();
  }

  /** Forgets the clients whose key matches (e.g. those on a store shard that recovered). */
  forget(matches: (key: string) => boolean): void {
    for (const key of this.clients.keys()) if (matches(key)) this.clients.delete(key);
  }

  /** Drops clients whose every window has ended. Runs on a timer; public for tests and tools. */
  sweep(now: number = this.context.clock()): number {
    let removed = 0;
    for (const [key, entry] of this.clients) {
      if (entry.expiresAt <= now) {
        this.clients.delete(key);
        removed++;
      }
    }
    return removed;
  }

  close(): void {
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    this.clients.clear();
  }

  private startSweeping(): void {
    if (this.sweepTimer !== undefined || this.sweepIntervalMs <= 0) return;
    this.sweepTimer = setInterval(() => this.sweep(), this.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  /**
   * Frees a small batch at once (0.1 % of the bound) so a flood of new clients does not walk the
   * Map on every request. Expired entries go first, then entries not seen since the last pass.
   */
  private evict(now: number, adding: string): void {
    const target = this.maxClients - Math.ceil(this.maxClients / 1000);
    let evicted = 0;
    for (const [key, entry] of this.clients) {
      if (this.clients.size <= target) break;
      // The newcomer has no window yet (expiresAt 0), so it would look expired and lose this request's count.
      if (key === adding) continue;
      if (entry.expiresAt > now && entry.seen) {
        entry.seen = false;
        this.clients.delete(key);
        this.clients.set(key, entry);
        continue;
      }
      this.clients.delete(key);
      if (entry.expiresAt > now) evicted++;
    }
    this.evictedSinceWarn += evicted;
    if (evicted > 0 && now - this.lastWarnAt >= WARN_INTERVAL_MS) {
      this.lastWarnAt = now;
      this.context.logger.warn(
        `Rate-limit memory store is full (maxClients ${this.maxClients}); evicted ${this.evictedSinceWarn} least recently seen clients, whose counts start over. Raise MaxClients or use the Redis store.`,
        { maxClients: this.maxClients, evicted: this.evictedSinceWarn },
      );
      this.evictedSinceWarn = 0;
    }
  }
}

function maxSlot(windows: readonly RateLimitWindow[]): number {
  let max = 0;
  for (let i = 0; i < windows.length; i++) if ((windows[i] as RateLimitWindow).slot > max) max = (windows[i] as RateLimitWindow).slot;
  return max;
}

/** Exactly `length` slots: push() would over-allocate capacity in every one of 100 000 entries. */
function grow(old: number[], length: number): number[] {
  const next = new Array<number>(length);
  for (let i = 0; i < length; i++) next[i] = i < old.length ? (old[i] as number) : 0;
  return next;
}

function checkMaxClients(value: unknown): number {
  return kit.integer(value, 100_000, 1, Number.MAX_SAFE_INTEGER, 'maxClients');
}
