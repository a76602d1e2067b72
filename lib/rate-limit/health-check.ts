/** `redisHealthCheck()`: can the rate-limit store be used? (for `doctor` and readiness endpoints) */
import { Redis, type Cluster } from 'ioredis';
import { RedisStore } from './stores/redis.js';
import type { RateLimitWindow } from './store.js';

/** Result of {@link redisHealthCheck}; `error` never contains the URL (it may hold a password). */
export interface RedisHealth {
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly error?: string;
}

const PROBE_WINDOW: readonly RateLimitWindow[] = [{ name: 'probe', limit: 1_000_000, periodMs: 1000, period: '1s', slot: 0 }];

/**
 * PINGs Redis and runs the rate-limit script once on a throwaway key (which expires within a
 * second). A URL gets its own short-lived connection; a client is used as is and left open.
 */
export async function redisHealthCheck(
  target: string | Redis | Cluster,
  options: Readonly<{ timeoutMs?: number; keyPrefix?: string }> = {},
): Promise<RedisHealth> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const started = performance.now();
  const owned = typeof target === 'string';
  let client: Redis | Cluster | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    client = owned ? new Redis(target, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null }) : target;
    if (owned) client.on('error', () => {});
    const store = new RedisStore({ client, keyPrefix: options.keyPrefix ?? 'rl:' });
    const work = (async () => {
      if (client.status === 'wait') await client.connect();
      const pong = await client.ping();
      if (pong !== 'PONG') throw new Error(`PING answered ${JSON.stringify(pong)}`);
      const result = await store.hit(`__health__:${process.pid}`, PROBE_WINDOW, Date.now(), false);
      if (result.blocked !== -1 || !(Number(result.counts[0]) >= 1)) throw new Error('the rate-limit script returned an unexpected reply');
    })();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([work, timeout]);
    return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { ok: false, latencyMs: Math.round((performance.now() - started) * 10) / 10, error: describe(error) };
  } finally {
    clearTimeout(timer);
    if (owned && client !== undefined) client.disconnect();
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Connection errors name host:port, never credentials, but strip any URL defensively.
  return message.replace(/rediss?:\/\/\S+/gi, '<redis url>');
}
