/**
 * `redisHealthCheck()`: can the rate-limit store be used? (for `doctor`, the guard's startup check
 * and readiness endpoints). Per mode: a standalone server must not be a Cluster node; a Cluster must
 * report cluster_state:ok with all 16384 slots served; the Sentinels must know the master group.
 * Then the limiter's script runs once on a throwaway key (on every Cluster master). Failures name
 * the cause and the fix; a refused login says so (WRONGPASS/NOAUTH) instead of "Connection is closed.".
 */
import { Cluster, Redis } from 'ioredis';
import { closest } from '../core/index.js';
import type { RateLimitWindow } from './store.js';
import { type RedisConnectionSettings, createRedisClient, describeConnection } from './stores/redis-connect.js';
import { SLOT_COUNT, slotOfTag } from './stores/redis-slot.js';
import { RedisStore } from './stores/redis.js';

/** Result of {@link redisHealthCheck}; `error`, `fix` and `summary` never contain credentials. */
export interface RedisHealth {
  readonly ok: boolean;
  readonly latencyMs: number;
  /** What is wrong, when not ok. */
  readonly error?: string;
  /** What to change, when the cause is known (wrong mode, password, master group name). */
  readonly fix?: string;
  /** What was found, e.g. `Redis Cluster: 3 masters, all 16384 slots served`. */
  readonly summary?: string;
  /** Where it looked, e.g. `standalone 127.0.0.1:6379/0` or `the client given`. */
  readonly target: string;
}

const PROBE_WINDOW: readonly RateLimitWindow[] = [{ name: 'probe', limit: 1_000_000, periodMs: 1000, period: '1s', slot: 0 }];

/** A problem with a known fix. */
class Finding extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

const AUTH_FAILED = /WRONGPASS|NOAUTH|invalid password|invalid username-password|AUTH failed/i;

/**
 * Checks Redis reachable as `target`: a URL, connection settings (standalone, Cluster or Sentinel),
 * or a client you own (used as is and left open). A URL or settings get a short-lived connection.
 */
export async function redisHealthCheck(
  target: string | Redis | Cluster | RedisConnectionSettings,
  options: Readonly<{ timeoutMs?: number; keyPrefix?: string }> = {},
): Promise<RedisHealth> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const started = performance.now();
  const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
  const owned = !(target instanceof Redis || target instanceof Cluster);
  const settings: RedisConnectionSettings | undefined = typeof target === 'string' ? { url: target } : owned ? (target as RedisConnectionSettings) : undefined;
  const where = settings === undefined ? 'the client given' : describeConnection(settings);
  let client: Redis | Cluster | undefined;
  let timer: NodeJS.Timeout | undefined;
  const errors: Error[] = [];
  try {
    const master = settings?.mode === 'sentinel' ? await checkSentinels(settings, timeoutMs) : undefined;
    client = settings !== undefined ? createRedisClient(settings, 'probe', timeoutMs) : (target as Redis | Cluster);
    client.on('error', (error: Error) => void errors.push(error));
    const used = client;
    const work = (async (): Promise<string> => {
      if (used.status === 'wait') await used.connect();
      const summary = used instanceof Cluster ? await checkCluster(used) : await checkStandalone(used, settings?.mode, master);
      await runScript(used, options.keyPrefix ?? 'rl:', timeoutMs);
      return summary;
    })();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const summary = await Promise.race([work, timeout]);
    return { ok: true, latencyMs: elapsed(), summary, target: where };
  } catch (error) {
    const found = explain(error, errors, settings);
    return { ok: false, latencyMs: elapsed(), target: where, error: found.message, ...(found.fix === '' ? {} : { fix: found.fix }) };
  } finally {
    clearTimeout(timer);
    if (owned && client !== undefined) client.disconnect();
  }
}

async function checkStandalone(client: Redis, mode: RedisConnectionSettings['mode'], master: string | undefined): Promise<string> {
  if (client.options.sentinels?.length) return `Redis master ${master ?? '(unknown)'} of Sentinel master group "${String(client.options.name)}"`;
  const info = await client.info('cluster');
  if (/cluster_enabled:1/.test(info) && mode !== 'cluster') {
    throw new Finding(
      'is a Cluster node: set RateLimiting.Redis.Mode to cluster (a standalone connection gets MOVED replies for most clients)',
      'set RateLimiting.Redis.Mode to "cluster" and list the Cluster nodes in RateLimiting.Redis.Nodes (e.g. ["10.0.0.5:7000", "10.0.0.6:7000"])',
    );
  }
  return `Redis ${client.options.host ?? '127.0.0.1'}:${client.options.port ?? 6379}`;
}

async function checkCluster(cluster: Cluster): Promise<string> {
  const info = await cluster.cluster('INFO');
  const state = /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown';
  const served = Number(/cluster_slots_ok:(\d+)/.exec(info)?.[1] ?? 0);
  const masters = cluster.nodes('master').length;
  if (state !== 'ok' || served < SLOT_COUNT) {
    throw new Finding(
      `the Redis Cluster reports cluster_state:${state} with ${served} of ${SLOT_COUNT} slots served`,
      'bring the failed nodes back or fail over to their replicas (redis-cli --cluster check <node>), so every slot has a live master',
    );
  }
  return `Redis Cluster: ${masters} master(s), all ${SLOT_COUNT} slots served`;
}

/** Asks every Sentinel for the master; returns its `host:port`, or throws a Finding. */
async function checkSentinels(settings: RedisConnectionSettings, timeoutMs: number): Promise<string> {
  const name = settings.sentinelName ?? '';
  const replies = await Promise.all(
    (settings.nodes ?? []).map(async (node) => {
      const sentinel = createRedisClient({ url: `redis://${node}` }, 'probe', timeoutMs) as Redis;
      try {
        await sentinel.connect();
        const address = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as string[] | null;
        const groups = ((await sentinel.call('SENTINEL', 'MASTERS')) as string[][]).map((fields) => fields[fields.indexOf('name') + 1] ?? '');
        return { address, groups };
      } catch {
        return undefined;
      } finally {
        sentinel.disconnect();
      }
    }),
  );
  const answered = replies.filter((reply) => reply !== undefined);
  if (answered.length === 0) {
    throw new Finding(`no Sentinel answers at ${(settings.nodes ?? []).join(', ')}`, 'start the Sentinels or correct RateLimiting.Redis.Nodes (host:port of each Sentinel)');
  }
  const known = answered.find((reply) => reply.address !== null);
  if (known?.address) return `${known.address[0] ?? '?'}:${known.address[1] ?? '?'}`;
  const groups = [...new Set(answered.flatMap((reply) => reply.groups))];
  const near = closest(name, groups);
  throw new Finding(
    `the Sentinels do not know master group "${name}"${groups.length > 0 ? ` (they watch: ${groups.join(', ')})` : ''}`,
    near !== undefined ? `set RateLimiting.Redis.SentinelName to "${near}"` : 'set RateLimiting.Redis.SentinelName to the name in the Sentinels\' "sentinel monitor <name> …" line',
  );
}

/** Runs the limiter script once per master (a Cluster has several), on a key that expires within a second. */
async function runScript(client: Redis | Cluster, keyPrefix: string, timeoutMs: number): Promise<void> {
  const store = new RedisStore({ client, keyPrefix });
  const tags: string[] = [];
  if (client instanceof Cluster) {
    const owners = new Map<string, string>();
    for (let i = 0; owners.size < client.nodes('master').length && i < 10_000; i++) {
      const tag = `__health__:${process.pid}:${i}`;
      const owner = client.slots[slotOfTag(tag)]?.[0];
      if (owner !== undefined && !owners.has(owner)) owners.set(owner, tag);
    }
    tags.push(...owners.values());
  } else {
    tags.push(`__health__:${process.pid}`);
  }
  try {
    await Promise.all(
      tags.map(async (tag) => {
        const result = await store.hit(tag, PROBE_WINDOW, Date.now(), false, { deadline: performance.now() + timeoutMs, keyPrefix: '' });
        if (result.blocked !== -1 || !(Number(result.counts[0]) >= 1)) throw new Error('the rate-limit script returned an unexpected reply');
      }),
    );
  } finally {
    await store.close();
  }
}

function explain(error: unknown, events: readonly Error[], settings: RedisConnectionSettings | undefined): { message: string; fix: string } {
  if (error instanceof Finding) return { message: error.message, fix: error.fix };
  const all = [error, ...events, ...events.map((e) => (e as { lastNodeError?: unknown }).lastNodeError)].filter((e) => e !== undefined && e !== null);
  const auth = all.map(messageOf).find((message) => AUTH_FAILED.test(message));
  if (auth !== undefined) {
    const word = /NOAUTH/i.test(auth) ? 'Redis requires a password and none was sent' : 'Redis refused the login';
    return {
      message: `${word} (${clean(auth)})`,
      fix: 'set the password in RateLimiting.Redis.Password (or as user:password in RateLimiting.Redis.Url); keep it in the environment file or RateLimiting__Redis__Password',
    };
  }
  const detail = all.map(messageOf).find((message) => !/Connection is closed|Failed to refresh slots cache/.test(message)) ?? messageOf(error);
  if (/cluster support disabled/i.test(detail)) {
    return {
      message: `is not a Cluster node (${clean(detail)})`,
      fix: 'set RateLimiting.Redis.Mode to standalone and RateLimiting.Redis.Url to the server, or list real Cluster nodes in RateLimiting.Redis.Nodes',
    };
  }
  const where = settings?.mode === 'cluster' || settings?.mode === 'sentinel' ? 'RateLimiting.Redis.Nodes' : 'RateLimiting.Redis.Url';
  return { message: clean(detail), fix: `start Redis (or make it reachable from this machine) or correct ${where}` };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Connection errors name host:port, never credentials, but strip any URL defensively. */
function clean(message: string): string {
  return message.replace(/rediss?:\/\/\S+/gi, '<redis url>');
}
