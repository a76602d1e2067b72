/**
 * Check 6: when the rate-limit store is Redis, it answers PING and can run the limiter's script.
 */
import { redisHealthCheck } from '../../rate-limit/index.js';
import { type DoctorContext } from './context.js';
import { type DoctorCheck } from './types.js';

const DEFAULT_URL = 'redis://127.0.0.1:6379';

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

export async function checkRateLimitStore(context: DoctorContext): Promise<DoctorCheck> {
  const base = { id: 'rate-limit-store', title: 'rate-limit store' } as const;
  const section = context.config?.RateLimiting;
  const store = String(section?.Store ?? context.setting(['RateLimiting', 'Store']) ?? 'memory').toLowerCase();
  if (store !== 'redis') {
    return { ...base, status: 'ok', detail: `${store} store (counts are per process; Redis not used)` };
  }
  const rawUrl = section?.Redis.Url ?? context.setting(['RateLimiting', 'Redis', 'Url']);
  const url = typeof rawUrl === 'string' && rawUrl.trim() !== '' ? rawUrl : DEFAULT_URL;
  const onError = String(section?.Redis.OnError ?? context.setting(['RateLimiting', 'Redis', 'OnError']) ?? 'open').toLowerCase();
  const timeoutMs = context.options.redisTimeoutMs ?? 5000;
  // redisHealthCheck bounds itself; wrapping it in a second, longer timer left its own 2 s default
  // in charge and the redisTimeoutMs option without effect.
  const rawPrefix = section?.Redis.KeyPrefix ?? context.setting(['RateLimiting', 'Redis', 'KeyPrefix']);
  const result = await redisHealthCheck(url, { timeoutMs, ...(typeof rawPrefix === 'string' ? { keyPrefix: rawPrefix } : {}) });
  const shown = displayUrl(url);
  if (result.ok) {
    return { ...base, status: 'ok', detail: `redis at ${shown} answered PING and ran the limiter script in ${Math.round(result.latencyMs)} ms` };
  }
  const why = result.error ?? 'unknown error';
  const effect =
    onError === 'closed'
      ? 'with OnError "closed" every rate-limited request is answered 503 until it is back'
      : 'with OnError "open" requests are admitted and counted per process until it is back';
  return {
    ...base,
    status: 'fail',
    detail: `redis at ${shown}: ${why}; ${effect}`,
    fix: 'start Redis (or make it reachable from this machine) or correct RateLimiting.Redis.Url; use Store "memory" for a single server',
  };
}
