/**
 * Builds the ioredis client for a Redis deployment described the way appsettings.json describes it
 * (standalone URL, Cluster seed nodes, Sentinels), tuned either for the store (lazy, no offline
 * queue, never re-sends a command) or for a one-off probe (doctor, startup check: no retries).
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { parseHostPort } from '../../core/index.js';

/** Where Redis is and how to log in. Mirrors `RateLimiting.Redis` in appsettings.json. */
export interface RedisConnectionSettings {
  /** `standalone` (one server at `url`), `cluster` (seed `nodes`) or `sentinel` (Sentinels at `nodes`). Defaults to `standalone`. */
  readonly mode?: 'standalone' | 'cluster' | 'sentinel';
  /**
   * `redis://[user:password@]host:port[/db]` (`rediss://` for TLS). Standalone: the server. Cluster and
   * Sentinel: only its user, password, TLS and database are used (the addresses come from `nodes`).
   * Defaults to `redis://127.0.0.1:6379`.
   */
  readonly url?: string;
  /** `host:port` of Cluster seed nodes or of the Sentinels. Required for `cluster` and `sentinel`. */
  readonly nodes?: readonly string[];
  /** The Sentinel master group name (`sentinel monitor <name> …`). Required for `sentinel`. */
  readonly sentinelName?: string;
  /** Password (Redis AUTH); wins over one in `url`. Defaults to the one in `url`, if any. */
  readonly password?: string;
}

/** How the client is used: `store` (long-lived, reconnects) or `probe` (one check, no retries). */
export type RedisClientUse = 'store' | 'probe';

const DEFAULT_URL = 'redis://127.0.0.1:6379';

interface Credentials {
  username?: string;
  password?: string;
  db?: number;
  tls?: Record<string, never>;
}

function credentials(settings: RedisConnectionSettings): Credentials {
  const url = new URL(settings.url ?? DEFAULT_URL);
  const out: Credentials = {};
  if (url.username) out.username = decodeURIComponent(url.username);
  const password = settings.password ?? (url.password ? decodeURIComponent(url.password) : undefined);
  if (password) out.password = password;
  const db = url.pathname.replace(/^\//, '');
  if (/^\d+$/.test(db)) out.db = Number(db);
  if (url.protocol === 'rediss:') out.tls = {};
  return out;
}

function nodesOf(settings: RedisConnectionSettings): { host: string; port: number }[] {
  const nodes = (settings.nodes ?? []).map((text) => {
    const node = parseHostPort(text);
    if (!node.ok) throw new TypeError(`${JSON.stringify(text)} ${node.problem}`);
    return node.value;
  });
  if (nodes.length === 0) throw new TypeError(`Redis mode "${settings.mode ?? 'standalone'}" needs nodes (host:port of ${settings.mode === 'sentinel' ? 'the Sentinels' : 'Cluster seed nodes'})`);
  return nodes;
}

function tuning(use: RedisClientUse, timeoutMs: number): RedisOptions {
  return use === 'store'
    ? {
        lazyConnect: true,
        // A command is written when the connection is ready, or not at all: never queued, never re-sent.
        enableOfflineQueue: false,
        autoResendUnfulfilledCommands: false,
        maxRetriesPerRequest: 1,
        // Reconnect soon after Redis (or a promoted replica) is back: at most half a second late.
        retryStrategy: (times: number) => Math.min(times * 50, 500),
        // A master demoted by a failover answers READONLY: reconnect (Sentinel then finds the new master).
        reconnectOnError: (error: Error) => error.message.startsWith('READONLY'),
      }
    : { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: true };
}

/**
 * A client for `settings`. The password never appears in an error message ioredis builds (it names
 * host:port only); callers still keep settings out of logs.
 */
export function createRedisClient(settings: RedisConnectionSettings, use: RedisClientUse, timeoutMs = 2000): Redis | Cluster {
  const mode = settings.mode ?? 'standalone';
  const auth = credentials(settings);
  const base = tuning(use, timeoutMs);
  let client: Redis | Cluster;
  if (mode === 'cluster') {
    const options: ClusterOptions = {
      lazyConnect: true,
      enableOfflineQueue: use !== 'store',
      slotsRefreshTimeout: Math.min(timeoutMs, 1000),
      clusterRetryStrategy: use === 'store' ? (times: number) => Math.min(times * 100, 1000) : () => null,
      redisOptions: { ...auth, connectTimeout: use === 'store' ? 10_000 : timeoutMs, maxRetriesPerRequest: use === 'store' ? 1 : 0 },
    };
    client = new Cluster(nodesOf(settings), options);
  } else if (mode === 'sentinel') {
    if (!settings.sentinelName) throw new TypeError('Redis mode "sentinel" needs sentinelName (the master group name)');
    client = new Redis({
      ...base,
      ...auth,
      sentinels: nodesOf(settings),
      name: settings.sentinelName,
      // Reconnect to the new master as soon as the Sentinels announce +switch-master.
      ...(use === 'probe' ? { sentinelRetryStrategy: () => null } : { failoverDetector: true }),
    });
  } else {
    const url = new URL(settings.url ?? DEFAULT_URL);
    url.username = '';
    url.password = '';
    client = new Redis(url.toString(), { ...base, ...auth });
  }
  // Outages are reported once by the limiter (and probes report their own error); without a listener
  // ioredis would print every reconnect error.
  client.on('error', () => {});
  return client;
}

/** `standalone 127.0.0.1:6379/0`, `cluster 10.0.0.1:7000,…`: where the counters live, without credentials. */
export function describeConnection(settings: RedisConnectionSettings): string {
  const mode = settings.mode ?? 'standalone';
  if (mode !== 'standalone') return `${mode} ${[...(settings.nodes ?? [])].sort().join(',')}${settings.sentinelName ? ` ${settings.sentinelName}` : ''}`;
  try {
    const url = new URL(settings.url ?? DEFAULT_URL);
    return `standalone ${url.hostname}:${url.port || 6379}${url.pathname.length > 1 ? url.pathname : '/0'}`;
  } catch {
    return 'standalone (invalid URL)';
  }
}
