/**
 * The health() middleware: a readiness report of config, rate-limit store, SQL Server and host
 * checks, as JSON, 200 or 503, computed at most once per cache period.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { ApiGuardConfig } from '../config/index.js';
import { OptionKit, secretMasker, type KeysEnum } from '../core/index.js';
import {
  configReport,
  runCustomCheck,
  sqlReport,
  storeReport,
  type CheckReport,
  type HealthCheck,
} from './checks.js';

export type HealthStatus = 'Healthy' | 'Degraded' | 'Unhealthy';

export interface HealthReport {
  /** Unhealthy when a required check fails (503); Degraded when only optional ones fail (200). */
  readonly status: HealthStatus;
  /** When the checks ran (ISO 8601); older than now by up to `cacheMs` when served from cache. */
  readonly checkedAt: string;
  readonly durationMs: number;
  readonly checks: Readonly<Record<string, CheckReport>>;
}

export type HealthOptions = Readonly<{
  /**
   * The loaded config, or a function returning the current one (e.g. `() => watcher.current`, so a
   * hot reload is picked up; a throw is reported as an Unhealthy config check). Defaults to none:
   * config and store are then Skipped and SQL is only checked with `sql: true` (which then fails).
   */
  config?: ApiGuardConfig | (() => ApiGuardConfig);
  /**
   * `'auto'` checks SQL Server (required) only when `ConnectionStrings.Issuetrak-Databse` or
   * `Issuetrak-Database` is set and tedious (an optional peer dependency) is installed; without
   * tedious the entry is Skipped, its reason saying `npm install tedious@19`. `true` always requires
   * the check (Unhealthy without tedious); `false` never checks. Defaults to `'auto'`.
   */
  sql?: boolean | 'auto';
  /**
   * Checks the rate-limit store, e.g. `() => redisHealthCheck(client)`. Without it a memory store
   * reports Healthy and a Redis store reports Skipped. Defaults to none.
   */
  store?: HealthCheck;
  /**
   * Extra named checks; required unless given as `{ check, required: false }`. Names `config`,
   * `store` and `sql` are reserved. Defaults to none.
   */
  checks?: Readonly<Record<string, HealthCheck | Readonly<{ check: HealthCheck; required?: boolean }>>>;
  /**
   * How long a report is reused, so /health cannot be used to hammer the database; concurrent
   * requests while checks run share one run. 0 disables reuse after completion. Defaults to 5000.
   */
  cacheMs?: number;
  /** Bound for each check (the SQL check's whole connect-login-query). Defaults to 5000. */
  timeoutMs?: number;
  /**
   * Include server, port, database and server version in the SQL entry and error messages. Never
   * includes user names or passwords either way. Set false for an endpoint reachable from outside.
   * Defaults to true.
   */
  details?: boolean;
  /** Milliseconds clock for the cache. Defaults to `Date.now`. */
  clock?: () => number;
}>;

export type HealthMiddleware = RequestHandler & {
  /** Runs (or reuses) the checks without an HTTP request, e.g. for a startup probe. */
  report(): Promise<HealthReport>;
};

const KEYS: KeysEnum<HealthOptions> = { config: true, sql: true, store: true, checks: true, cacheMs: true, timeoutMs: true, details: true, clock: true };
const RESERVED = new Set(['config', 'store', 'sql']);
const kit: OptionKit = new OptionKit({ name: 'health', code: 'HEALTH', docs: 'health.md' });

function validate(options: HealthOptions): void {
  const given = kit.object(options, KEYS);
  kit.integer(given.cacheMs, 0, 0, 2 ** 31 - 1, 'cacheMs');
  kit.integer(given.timeoutMs, 1, 1, 2 ** 31 - 1, 'timeoutMs');
  if (given.sql !== undefined && given.sql !== true && given.sql !== false && given.sql !== 'auto') {
    kit.fail('INVALID_OPTION', 'sql', `expected true, false or "auto", got ${JSON.stringify(given.sql)}.`);
  }
  kit.boolean(given.details, true, 'details');
  kit.func(given.clock, 'clock');
  kit.func(given.store, 'store');
  for (const name of Object.keys((given.checks as object | undefined) ?? {})) {
    if (RESERVED.has(name)) kit.fail('INVALID_OPTION', `checks.${name}`, `"${name}" is reserved for a built-in check; pick another name.`);
  }
}

function overall(checks: Record<string, CheckReport>): HealthStatus {
  const failed = Object.values(checks).filter((c) => c.status === 'Unhealthy');
  if (failed.some((c) => c.required)) return 'Unhealthy';
  return failed.length > 0 ? 'Degraded' : 'Healthy';
}

// Masks known secrets inside error messages, and drops messages entirely when details are off
// (they name hosts and ports).
function sanitize(check: CheckReport, mask: (text: string) => string, details: boolean): CheckReport {
  if (!check.error) return check;
  const error = details ? { ...check.error, message: mask(check.error.message) } : { kind: check.error.kind ?? 'error', message: 'failed' };
  return { ...check, error };
}

/**
 * Readiness endpoint: `app.get('/health', health({ config }))`. Answers JSON
 * `{ status, checkedAt, durationMs, checks: { config, store, sql, ...yours } }`, each check
 * `{ status: 'Healthy'|'Unhealthy'|'Skipped', required, latencyMs?, error?: { kind?, message } }`,
 * with 200 unless a required check failed (503). No connection string, user name, password or other
 * config secret appears in the body. Results are reused for `cacheMs` (default 5 s).
 */
export function health(options: HealthOptions = {}): HealthMiddleware {
  validate(options);
  const cacheMs = options.cacheMs ?? 5000;
  const timeoutMs = options.timeoutMs ?? 5000;
  const details = options.details ?? true;
  const clock = options.clock ?? Date.now;
  const extra = Object.entries(options.checks ?? {}).map(([name, entry]) =>
    typeof entry === 'function' ? { name, check: entry, required: true } : { name, check: entry.check, required: entry.required ?? true },
  );

  let cache: { config: ApiGuardConfig | undefined; promise: Promise<HealthReport>; doneAt?: number } | undefined;

  async function run(config: ApiGuardConfig | undefined, loadError: unknown): Promise<HealthReport> {
    const started = clock();
    const checkedAt = new Date().toISOString();
    const usable = loadError === undefined ? config : undefined;
    const [store, sql, ...others] = await Promise.all([
      storeReport(usable, options.store, timeoutMs),
      sqlReport(usable, options.sql ?? 'auto', timeoutMs, details),
      ...extra.map((c) => runCustomCheck(c.name, c.check, c.required, timeoutMs)),
    ]);
    const mask = secretMasker(usable ? usable.secretValues() : []);
    const checks: Record<string, CheckReport> = {};
    const entries: Array<[string, CheckReport]> = [
      ['config', configReport(usable, loadError)],
      ['store', store],
      ['sql', sql],
      ...extra.map((c, i): [string, CheckReport] => [c.name, others[i] ?? { status: 'Unhealthy', required: c.required }]),
    ];
    for (const [name, check] of entries) checks[name] = sanitize(check, mask, details);
    return { status: overall(checks), checkedAt, durationMs: clock() - started, checks };
  }

  function report(): Promise<HealthReport> {
    let config: ApiGuardConfig | undefined;
    let loadError: unknown;
    try {
      config = typeof options.config === 'function' ? options.config() : options.config;
    } catch (error) {
      loadError = error ?? new Error('config getter threw');
    }
    const now = clock();
    const fresh =
      cache !== undefined &&
      cache.config === config &&
      loadError === undefined &&
      (cache.doneAt === undefined || now - cache.doneAt < cacheMs);
    if (fresh && cache) return cache.promise;
    const entry: NonNullable<typeof cache> = { config, promise: run(config, loadError) };
    entry.promise.then(
      () => (entry.doneAt = clock()),
      () => (entry.doneAt = clock()),
    );
    cache = entry;
    return entry.promise;
  }

  const middleware = function healthMiddleware(_req: Request, res: Response, next: (err?: unknown) => void): void {
    report().then((result) => {
      const body = JSON.stringify(result);
      res.statusCode = result.status === 'Unhealthy' ? 503 : 200;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Length', Buffer.byteLength(body));
      res.end(body);
    }, next);
  };
  return Object.assign(middleware, { report });
}
