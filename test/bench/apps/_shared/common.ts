/**
 * Shared by the benchmark apps: the six default rules with limits too high to trip, the JSON
 * route, listening on 127.0.0.1:0, and Redis key cleanup. Not an app itself (no start()).
 */
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Redis } from 'ioredis';

export interface BenchApp {
  url: string;
  close(): Promise<void>;
  redis?: Redis;
}

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const HIGH = 1_000_000_000;
/** The six default rules (same periods and endpoints), limits never reached. */
export const SIX_RULES = [
  { name: 'burst', endpoint: '*', period: '1s', limit: HIGH },
  { name: 'writes', endpoint: 'post,put,patch,delete:*', period: '1s', limit: HIGH },
  { name: 'minute', endpoint: '*', period: '1m', limit: HIGH },
  { name: '10min', endpoint: '*', period: '10m', limit: HIGH },
  { name: 'hour', endpoint: '*', period: '1h', limit: HIGH },
  { name: '12h', endpoint: '*', period: '12h', limit: HIGH },
] as const;
/** The same rules as [windowMs, writesOnly] for the other libraries. */
export const SIX_WINDOWS: readonly (readonly [number, boolean])[] = [
  [1_000, false],
  [1_000, true],
  [60_000, false],
  [600_000, false],
  [3_600_000, false],
  [43_200_000, false],
];
export const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function uniquePrefix(label: string): string {
  return `bench:${label}:${process.pid}:${Date.now().toString(36)}:`;
}

/** The benchmark route: a small JSON body. */
export function addPingRoute(app: Express): void {
  app.get('/api/v2/ping', (_req, res) => {
    res.json({ ok: true });
  });
}

/** Adds the benchmark route and listens; `cleanup` runs after the server closes. */
export async function listen(app: Express, cleanup: () => Promise<void> = async () => {}, redis?: Redis): Promise<BenchApp> {
  addPingRoute(app);
  return serve(app, cleanup, redis);
}

/** Listens on 127.0.0.1:0 (routes already added); `cleanup` runs after the server closes. */
export async function serve(app: Express, cleanup: () => Promise<void> = async () => {}, redis?: Redis): Promise<BenchApp> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v2/ping`,
    ...(redis === undefined ? {} : { redis }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await cleanup();
    },
  };
}

/** Deletes every key under `prefix` (SCAN, never KEYS, so a shared Redis is not blocked). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
