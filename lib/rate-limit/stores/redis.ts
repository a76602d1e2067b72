/**
 * Redis-backed store: one EVALSHA per request (ioredis `defineCommand`, which sends EVAL the first
 * time on a connection and re-sends once on NOSCRIPT, e.g. after SCRIPT FLUSH or a restart).
 * Keys are `<prefix>{<client>}:<rule>`; the hash tag puts one client's windows on one Cluster slot.
 */
import { Redis, type Cluster } from 'ioredis';
import { OptionKit } from '../../core/index.js';
import { StoreUnavailableError } from '../errors.js';
import { type HitResult, type RateLimitStore, type RateLimitWindow, blockedWindow } from '../store.js';
import { RATE_LIMIT_SCRIPT, SCRIPT_COMMAND } from './redis-script.js';

/** Options for {@link RedisStore}: an ioredis client (or Cluster) you own, or a URL the store connects to. */
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
>;

const kit: OptionKit = new OptionKit({ name: 'new RedisStore', code: 'RATE_LIMIT', docs: 'rate-limiting.md', traps: { prefix: () => 'write keyPrefix (the prefix of every key, e.g. "rl:").' } });

type ScriptReply = (number | string)[];
type ScriptClient = Record<typeof SCRIPT_COMMAND, (...args: (string | number)[]) => Promise<ScriptReply>>;

export class RedisStore implements RateLimitStore {
  /** The ioredis client in use (for INFO commandstats, health checks, or your own commands). */
  readonly client: Redis | Cluster;
  readonly keyPrefix: string;
  private readonly owned: boolean;
  private everReady: boolean;
  private readyWait: Promise<void> | undefined;

  constructor(options: RedisStoreOptions) {
    kit.object(options, ['client', 'url', 'keyPrefix']);
    const keyPrefix = options.keyPrefix ?? 'rl:';
    if (typeof keyPrefix !== 'string' || /[{}]/.test(keyPrefix)) {
      // A brace in the prefix would become the hash tag and put every client on one Cluster slot.
      kit.fail('STORE', 'keyPrefix', `expected a string without "{" or "}" (the store adds the {client} hash tag itself), got ${JSON.stringify(keyPrefix)}.`);
    }
    this.keyPrefix = keyPrefix;
    if ('client' in options && options.client !== undefined) {
      this.client = options.client;
      this.owned = false;
    } else if ('url' in options && typeof options.url === 'string' && /^rediss?:\/\//i.test(options.url)) {
      // No offline queue and no resend: during an outage a command fails at once (the limiter falls
      // back) instead of queueing, and nothing counted in the fallback is counted again on reconnect.
      this.client = new Redis(options.url, {
        lazyConnect: true,
        enableOfflineQueue: false,
        autoResendUnfulfilledCommands: false,
        maxRetriesPerRequest: 1,
      });
      // Outages are reported once by the limiter; ioredis would otherwise print every reconnect error.
      this.client.on('error', () => {});
      this.owned = true;
    } else {
      kit.fail('STORE', '', 'needs { client } (an ioredis Redis or Cluster) or { url: "redis://host:6379" }.');
    }
    this.everReady = this.client.status === 'ready';
    this.client.defineCommand(SCRIPT_COMMAND, { lua: RATE_LIMIT_SCRIPT });
  }

  hit(key: string, windows: readonly RateLimitWindow[], _now: number, stack: boolean): Promise<HitResult> {
    if (this.client.status !== 'ready') return this.whenReady().then(() => this.hit(key, windows, _now, stack));
    if (!this.everReady) this.everReady = true;
    const n = windows.length;
    const args = new Array<string | number>(2 + 3 * n);
    args[0] = n;
    const base = this.keyPrefix + '{' + hashTagSafe(key) + '}:';
    args[1 + n] = stack ? '1' : '0';
    for (let i = 0; i < n; i++) {
      const window = windows[i] as RateLimitWindow;
      args[1 + i] = base + window.name;
      args[2 + n + 2 * i] = window.limit;
      args[3 + n + 2 * i] = window.periodMs;
    }
    return (this.client as unknown as ScriptClient)[SCRIPT_COMMAND](...args).then((reply) => toHitResult(reply, windows));
  }

  /** Round-trip time of a PING in milliseconds; rejects when Redis does not answer. */
  async ping(): Promise<number> {
    const started = performance.now();
    await this.client.ping();
    return performance.now() - started;
  }

  /** The key holding one client's counter for one rule (for tests and operators). */
  keyFor(clientKey: string, ruleName: string): string {
    return this.keyPrefix + '{' + hashTagSafe(clientKey) + '}:' + ruleName;
  }

  async close(): Promise<void> {
    if (!this.owned) return;
    if (this.client.status === 'ready') {
      await this.client.quit().catch(() => this.client.disconnect());
    } else {
      this.client.disconnect();
    }
  }

  /**
   * Before the first connection completes, requests wait for it (bounded by the limiter's timeout);
   * after that, a disconnected client fails at once so the limiter can fall back without delay.
   */
  private whenReady(): Promise<void> {
    if (this.everReady) {
      return Promise.reject(new StoreUnavailableError(`Redis is not connected (status "${this.client.status}")`));
    }
    this.readyWait ??= new Promise<void>((resolve) => {
      this.client.once('ready', () => {
        this.everReady = true;
        resolve();
      });
      if (this.client.status === 'wait') this.client.connect().catch(() => {});
    });
    return this.readyWait;
  }
}

function toHitResult(reply: ScriptReply, windows: readonly RateLimitWindow[]): HitResult {
  const n = windows.length;
  const counts = new Array<number>(n);
  const resetsInMs = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    counts[i] = Number(reply[1 + 2 * i]);
    resetsInMs[i] = Number(reply[2 + 2 * i]);
  }
  const counted = Number(reply[0]) === 1;
  return { blocked: blockedWindow(windows, counts, resetsInMs, counted), counts, resetsInMs };
}

/** Braces in a client key would move the hash tag and split a client's keys across slots. */
function hashTagSafe(key: string): string {
  return key.indexOf('{') === -1 && key.indexOf('}') === -1 ? key : key.replace(/[{}]/g, '_');
}
