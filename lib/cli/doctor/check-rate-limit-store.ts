/**
 * Check 6: when the rate-limit store is Redis, it is usable in the configured mode: a standalone
 * server that is not a Cluster node, a Cluster with every slot served, Sentinels that know the master
 * group; the login works; the limiter's script runs (on every Cluster master).
 */
import { redisConnectionFromConfig, redisHealthCheck, type RedisConnectionSettings } from '../../rate-limit/index.js';
import { type DoctorContext } from './context.js';
import { type DoctorCheck } from './types.js';

const DEFAULT_URL = 'redis://127.0.0.1:6379';
const MODES = ['standalone', 'cluster', 'sentinel'] as const;

/** The URL without credentials, for display. */
function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username) parsed.username = '***';
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(not a valid URL)';
  }
}

/** The settings from the loaded config, or (when it did not load) read raw from the layers. */
function settingsOf(context: DoctorContext): RedisConnectionSettings {
  const section = context.config?.RateLimiting;
  if (section !== undefined) return redisConnectionFromConfig(section.Redis);
  const raw = (key: string): unknown => context.setting(['RateLimiting', 'Redis', key]);
  const text = (key: string): string | undefined => {
    const value = raw(key);
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
  };
  const mode = MODES.find((m) => m === text('Mode')?.toLowerCase()) ?? 'standalone';
  const nodes = raw('Nodes');
  const sentinelName = text('SentinelName');
  const password = text('Password');
  return {
    mode,
    url: text('Url') ?? DEFAULT_URL,
    nodes: Array.isArray(nodes) ? nodes.filter((n): n is string => typeof n === 'string') : [],
    ...(sentinelName === undefined ? {} : { sentinelName }),
    ...(password === undefined ? {} : { password }),
  };
}

/** Where the configured Redis is, without credentials: `redis cluster at 10.0.0.5:7000, …`. */
export function describeRedis(settings: RedisConnectionSettings): string {
  const nodes = (settings.nodes ?? []).join(', ');
  if (settings.mode === 'cluster') return `redis cluster at ${nodes}`;
  if (settings.mode === 'sentinel') return `redis sentinel master group "${settings.sentinelName ?? ''}" via ${nodes}`;
  return `redis at ${displayUrl(settings.url ?? DEFAULT_URL)}`;
}

export async function checkRateLimitStore(context: DoctorContext): Promise<DoctorCheck> {
  const base = { id: 'rate-limit-store', title: 'rate-limit store' } as const;
  const section = context.config?.RateLimiting;
  const store = String(section?.Store ?? context.setting(['RateLimiting', 'Store']) ?? 'memory').toLowerCase();
  if (store !== 'redis') {
    return { ...base, status: 'ok', detail: `${store} store (counts are per process; Redis not used)` };
  }
  const settings = settingsOf(context);
  const onError = String(section?.Redis.OnError ?? context.setting(['RateLimiting', 'Redis', 'OnError']) ?? 'open').toLowerCase();
  const timeoutMs = context.options.redisTimeoutMs ?? 5000;
  const rawPrefix = section?.Redis.KeyPrefix ?? context.setting(['RateLimiting', 'Redis', 'KeyPrefix']);
  const shown = describeRedis(settings);
  let result;
  try {
    result = await redisHealthCheck(settings, { timeoutMs, ...(typeof rawPrefix === 'string' ? { keyPrefix: rawPrefix } : {}) });
  } catch (error) {
    return { ...base, status: 'fail', detail: `${shown}: ${(error as Error).message}`, fix: 'correct the RateLimiting.Redis settings' };
  }
  if (result.ok) {
    return { ...base, status: 'ok', detail: `${shown}: ${result.summary ?? 'Redis'}; the limiter script ran in ${Math.round(result.latencyMs)} ms` };
  }
  const effect =
    onError === 'closed'
      ? 'with OnError "closed" every rate-limited request is answered 503 until it is fixed'
      : 'with OnError "open" requests are admitted and counted per process until it is fixed';
  return {
    ...base,
    status: 'fail',
    detail: `${shown}: ${result.error ?? 'unknown error'}; ${effect}`,
    fix: `${result.fix ?? 'start Redis or correct RateLimiting.Redis'}; use Store "memory" for a single server`,
  };
}
