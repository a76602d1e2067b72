/** Shared helpers for the rate-limit tests: an Express app on 127.0.0.1:0 and a fake clock. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { Redis } from 'ioredis';
import { loadConfig } from '../../lib/config/index.js';
import type { RateLimitingConfig } from '../../lib/config/types.js';
import { rateLimit, type RateLimitMiddleware, type RateLimitOptions } from '../../lib/rate-limit/index.js';
import { slotOfTag } from '../../lib/rate-limit/stores/redis-slot.js';

export interface TestApp {
  url: string;
  limiter: RateLimitMiddleware;
  /** Errors that reached the app's error handler, in order. */
  errors: unknown[];
  close(): Promise<void>;
}

/** A clock the test moves by hand. */
export function fakeClock(start = 1_700_000_000_000): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/**
 * Starts express with `trust proxy` on, so tests choose the client IP with X-Forwarded-For.
 * The error handler answers with the error's status and JSON, the way the error mapper will.
 */
export async function startApp(options: RateLimitOptions = {}, mount?: (app: express.Express) => void, first?: RequestHandler): Promise<TestApp> {
  const app = express();
  app.set('trust proxy', true);
  if (first !== undefined) app.use(first);
  // Refusals go to the app's error handler (recorded in `errors`) unless a test gives its own handler;
  // the limiter's own answer (its default) is tested in standalone.test.ts.
  const limiter = rateLimit({ handler: (_req, _res, next, error) => next(error), ...options });
  const errors: unknown[] = [];
  app.use(limiter);
  mount?.(app);
  app.all('/{*rest}', (_req, res) => {
    res.json({ ok: true });
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    errors.push(err);
    res.status(typeof err?.status === 'number' ? err.status : 500).json({ message: String(err?.message) });
  };
  app.use(onError);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    limiter,
    errors,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await limiter.close();
    },
  };
}

/** startApp for a test file: every app it starts is closed after the file's tests. */
export function appsClosedAfter(): (options?: RateLimitOptions) => Promise<TestApp> {
  const apps: TestApp[] = [];
  after(() => Promise.all(apps.map((app) => app.close())));
  return async (options = {}) => {
    const started = await startApp(options);
    apps.push(started);
    return started;
  };
}

export interface Sent {
  status: number;
  headers: Headers;
  body: unknown;
}

/** One request; `ip` sets X-Forwarded-For. */
export async function send(
  base: string,
  options: { path?: string; method?: string; ip?: string; headers?: Record<string, string> } = {},
): Promise<Sent> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.ip !== undefined) headers['x-forwarded-for'] = options.ip;
  const response = await fetch(base + (options.path ?? '/api/v2/tickets'), { method: options.method ?? 'GET', headers });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Non-JSON bodies stay text.
  }
  return { status: response.status, headers: response.headers, body };
}

/** Sends `count` requests one after another and returns their statuses. */
export async function statuses(base: string, count: number, options: Parameters<typeof send>[1] = {}): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((await send(base, options)).status);
  return out;
}

export function uniquePrefix(label: string): string {
  return `test:rl:${label}:${process.pid}:${Date.now().toString(36)}:`;
}

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A client of the shared Redis, and a cleanup that closes `apps` and deletes every key under `prefix`. */
export function sharedRedis(prefix: string, apps: readonly TestApp[]): { redis: Redis; cleanup(): Promise<void> } {
  const redis = new Redis(REDIS_URL);
  return {
    redis,
    cleanup: async () => {
      await Promise.all(apps.map((app) => app.close()));
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

/** A LogSink that keeps warnings (outage lines) for assertions. */
export function capture(): { warnings: string[]; logger: { debug(): void; info(): void; warn(m: string): void; error(): void } } {
  const warnings: string[] = [];
  return { warnings, logger: { debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error() {} } };
}

/**
 * Loads `appsettings` (written as appsettings.json in a temp dir, exactly as a user would) with the
 * real loader and returns its RateLimiting section; the dir is removed at once.
 */
export function rateLimitingFrom(appsettings: object): RateLimitingConfig {
  const dir = mkdtempSync(path.join(tmpdir(), 'rl-config-'));
  try {
    writeFileSync(path.join(dir, 'appsettings.json'), JSON.stringify(appsettings, null, 2));
    return loadConfig({ dir, env: {}, environment: 'Test' }).RateLimiting;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A client key (an IPv4 address, as trust proxy + X-Forwarded-For gives it) whose slot passes `accept`. */
export function ipWhere(accept: (slot: number) => boolean, skip: ReadonlySet<string> = new Set()): string {
  for (let i = 1; i < 65_536; i++) {
    const ip = `10.${(i >> 8) & 0xff}.${i & 0xff}.7`;
    if (!skip.has(ip) && accept(slotOfTag(ip))) return ip;
  }
  throw new Error('no client key found for that slot');
}
