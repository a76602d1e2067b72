/**
 * Redis-backed store: one EVALSHA per request (ioredis `defineCommand`, which sends EVAL the first
 * time on a connection and re-sends once on NOSCRIPT, e.g. after SCRIPT FLUSH or a restart).
 * Keys are `<prefix><limiter keyPrefix>{<client>}:<rule>`; the hash tag puts one client's windows on
 * one Cluster slot. How a hit is written, waited for and given up is in redis-hit.ts.
 */
import { Cluster, type Redis } from 'ioredis';
import { DEFAULT_STORE_TIMEOUT_MS, OptionKit, parseKeyPrefix } from '../../core/index.js';
import { StoreUnavailableError } from '../errors.js';
import type { HitResult, RateLimitStore, RateLimitWindow, StoreCall, WindowCounts } from '../store.js';
import { AdminCall } from './redis-admin.js';
import { type RedisConnectionSettings, createRedisClient, describeConnection } from './redis-connect.js';
import { type HitHost, PendingHit, type ScriptReply, type Waiter, fenceIndex } from './redis-hit.js';
import type { RedisLink } from './redis-link.js';
import { ClusterRouter, type RedisRouter, SingleRouter } from './redis-router.js';
import { PEEK_SCRIPT, RATE_LIMIT_SCRIPT, SCRIPT_COMMAND } from './redis-script.js';

/** Options for {@link RedisStore}: an ioredis client (or Cluster) you own, or where to connect. */
export type RedisStoreOptions = Readonly<
  | {
      /** A connected or connecting ioredis `Redis` or `Cluster`; the store never quits it. */
      client: Redis | Cluster;
      /** Prefix of every key. Defaults to `rl:`. */
      keyPrefix?: string;
    }
  | {
      /** `redis://[user:password@]host:port[/db]`; the store owns this connection and quits it on close(). */
      url: string;
      /** Prefix of every key. Defaults to `rl:`. */
      keyPrefix?: string;
    }
  | {
      /** A standalone server, a Cluster or a Sentinel-managed master; the store owns the connection. */
      connection: RedisConnectionSettings;
      /** Prefix of every key. Defaults to `rl:`. */
      keyPrefix?: string;
    }
>;

const kit: OptionKit = new OptionKit({ name: 'new RedisStore', code: 'RATE_LIMIT', docs: 'rate-limiting.md', traps: { prefix: () => 'write keyPrefix (the prefix of every key, e.g. "rl:").' } });

type ScriptClient = Record<typeof SCRIPT_COMMAND, (...args: (string | number)[]) => Promise<ScriptReply>>;

/** How long a hit may take when no limiter gives a deadline (direct use of the store). */
const DEFAULT_TIMEOUT_MS = DEFAULT_STORE_TIMEOUT_MS;

let clientIds = 0;
const clientId = new WeakMap<object, number>();

export class RedisStore implements RateLimitStore, HitHost {
  /** The ioredis client in use (for health checks, or your own commands). */
  readonly client: Redis | Cluster;
  readonly keyPrefix: string;
  /** RedisStore settles every hit by its deadline and never counts one it gave up. */
  readonly boundsCalls = true;
  readonly sharedTarget: string;
  /** @internal */
  readonly router: RedisRouter;
  private readonly owned: boolean;
  private readonly waiting = new Set<Waiter>();
  private closed = false;

  constructor(options: RedisStoreOptions) {
    kit.object(options, ['client', 'url', 'connection', 'keyPrefix']);
    const keyPrefix = kit.parsed(options.keyPrefix, parseKeyPrefix(options.keyPrefix ?? 'rl:'), 'STORE', 'keyPrefix');
    this.keyPrefix = keyPrefix;
    let target: string;
    if ('client' in options && options.client !== undefined) {
      this.client = options.client;
      this.owned = false;
      target = describeClient(options.client);
    } else if ('url' in options && typeof options.url === 'string' && /^rediss?:\/\//i.test(options.url)) {
      this.client = createRedisClient({ url: options.url }, 'store');
      this.owned = true;
      target = describeConnection({ url: options.url });
    } else if ('connection' in options && typeof options.connection === 'object' && options.connection !== null) {
      try {
        this.client = createRedisClient(options.connection, 'store');
      } catch (error) {
        kit.fail('STORE', 'connection', `${(error as Error).message}.`);
      }
      this.owned = true;
      target = describeConnection(options.connection);
    } else {
      kit.fail('STORE', '', 'needs { client } (an ioredis Redis or Cluster), { url: "redis://host:6379" } or { connection: { mode, nodes, … } }.');
    }
    this.sharedTarget = `${target} ${keyPrefix}`;
    if (this.owned) this.client.on('end', this.revive);
    const changed = (): void => this.changed();
    this.router = this.client instanceof Cluster ? new ClusterRouter(this.client, changed) : new SingleRouter(this.client, changed);
    if (!(this.client instanceof Cluster)) defineScript(this.client);
  }

  /**
   * An owned client must never give up for good while the store is open. ioredis ends a Sentinel
   * client for good when a failover notice (or a stalled-connection reset) closes it while it is
   * still asking the Sentinels for the master; start it again.
   */
  private readonly revive = (): void => {
    if (this.closed) return;
    setTimeout(() => {
      if (!this.closed && this.client.status === 'end') this.client.connect().catch(() => {});
    }, 100).unref();
  };

  shardOf(key: string): number {
    return this.router.shardOf(hashTagSafe(key));
  }

  describeShard(shard: number): string {
    return this.router.describe(shard);
  }

  hit(key: string, windows: readonly RateLimitWindow[], _now: number, stack: boolean, call?: StoreCall): Promise<HitResult> {
    const tag = hashTagSafe(key);
    const n = windows.length;
    const args = new Array<string | number>(3 + 3 * n);
    args[0] = n;
    const base = this.keyPrefix + (call?.keyPrefix ?? '') + '{' + tag + '}:';
    args[1 + n] = stack ? '1' : '0';
    args[fenceIndex(n)] = 0;
    for (let i = 0; i < n; i++) {
      const window = windows[i] as RateLimitWindow;
      args[1 + i] = base + window.name;
      // 0: a monitor window, counted but never refusing (see the script).
      args[3 + n + 2 * i] = window.monitor === true ? 0 : window.limit;
      args[4 + n + 2 * i] = window.periodMs;
    }
    const deadline = call?.deadline ?? performance.now() + DEFAULT_TIMEOUT_MS;
    if (this.closed) return Promise.reject(new StoreUnavailableError('the Redis store is closed'));
    return new Promise<HitResult>((resolve, reject) => {
      new PendingHit(this, this.router.shardOf(tag), args, windows, deadline, resolve, reject).start();
    });
  }

  /** Reads a client's windows without counting (limiter.inspect()): one script on the client's node. */
  peek(key: string, windows: readonly RateLimitWindow[], _now: number, call?: StoreCall): Promise<WindowCounts> {
    const keys = windows.map((window) => this.keyFor(key, window.name, call?.keyPrefix));
    return this.admin(key, call, (client) => client.eval(PEEK_SCRIPT, keys.length, ...keys) as Promise<number[]>).then((reply) => ({
      counts: windows.map((_, i) => Number(reply[2 * i])),
      resetsInMs: windows.map((_, i) => Math.max(0, Number(reply[2 * i + 1]))),
    }));
  }

  /** Deletes a client's counters for `windows` (limiter.reset()); resolves to how many existed. */
  clear(key: string, windows: readonly RateLimitWindow[], _now: number, call?: StoreCall): Promise<number> {
    const keys = windows.map((window) => this.keyFor(key, window.name, call?.keyPrefix));
    if (keys.length === 0) return Promise.resolve(0);
    // One DEL: the keys share the client's hash tag, so they are on one node.
    return this.admin(key, call, (client) => client.del(...keys));
  }

  private admin<T>(key: string, call: StoreCall | undefined, run: (client: Redis) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the Redis store is closed'));
    const deadline = call?.deadline ?? performance.now() + DEFAULT_TIMEOUT_MS;
    return new Promise<T>((resolve, reject) => new AdminCall(this, this.router.shardOf(hashTagSafe(key)), run, deadline, resolve, reject).start());
  }

  /** Round-trip time of a PING in milliseconds; rejects when Redis does not answer. */
  async ping(): Promise<number> {
    const started = performance.now();
    await this.client.ping();
    return performance.now() - started;
  }

  /** The key holding one client's counter for one rule (for tests and operators). */
  keyFor(clientKey: string, ruleName: string, limiterKeyPrefix = ''): string {
    return this.keyPrefix + limiterKeyPrefix + '{' + hashTagSafe(clientKey) + '}:' + ruleName;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.off('end', this.revive);
    for (const hit of [...this.waiting]) hit.lost(new StoreUnavailableError('the Redis store is closed'));
    this.router.dispose();
    if (!this.owned) return;
    if (this.client.status === 'ready') await this.client.quit().catch(() => {});
    // Also after QUIT: disconnect() is what stops a Sentinel client's failover detector connections.
    this.client.disconnect();
  }

  /** @internal */
  send(link: RedisLink, args: (string | number)[], asking: boolean): Promise<ScriptReply> {
    const client = link.client;
    if (asking) {
      // ASKING applies to the next command only, so the script goes in full (no EVALSHA/NOSCRIPT round).
      void client.asking().catch(() => {});
      return client.call('EVAL', RATE_LIMIT_SCRIPT, ...args) as Promise<ScriptReply>;
    }
    defineScript(client);
    return (client as unknown as ScriptClient)[SCRIPT_COMMAND](...args);
  }

  /** @internal */
  wait(waiter: Waiter): void {
    this.waiting.add(waiter);
  }

  /** @internal */
  unwait(waiter: Waiter): void {
    this.waiting.delete(waiter);
  }

  /** @internal */
  moved(slot: number, address: string): void {
    if (this.client instanceof Cluster) {
      const owners = this.client.slots[slot];
      if (owners === undefined) this.client.slots[slot] = [address];
      else owners[0] = address;
    }
    this.router.refresh();
  }

  /** @internal */
  linkAt(address: string): RedisLink | undefined {
    return this.router instanceof ClusterRouter ? this.router.linkAt(address) : undefined;
  }

  /** A connection changed state: calls waiting for a first connection look again. */
  private changed(): void {
    if (this.waiting.size === 0) return;
    for (const waiter of [...this.waiting]) waiter.retry();
  }
}

function defineScript(client: Redis | Cluster): void {
  if (typeof (client as unknown as Partial<ScriptClient>)[SCRIPT_COMMAND] !== 'function') {
    client.defineCommand(SCRIPT_COMMAND, { lua: RATE_LIMIT_SCRIPT });
  }
}

function describeClient(client: Redis | Cluster): string {
  if (client instanceof Cluster) {
    let id = clientId.get(client);
    if (id === undefined) clientId.set(client, (id = ++clientIds));
    return `cluster client #${id}`;
  }
  const { host, port, db, sentinels, name } = client.options;
  if (sentinels?.length) return `sentinel ${String(name)}`;
  return `standalone ${host ?? '127.0.0.1'}:${port ?? 6379}/${db ?? 0}`;
}

/** Braces in a client key would move the hash tag and split a client's keys across slots. */
function hashTagSafe(key: string): string {
  return key.indexOf('{') === -1 && key.indexOf('}') === -1 ? key : key.replace(/[{}]/g, '_');
}
