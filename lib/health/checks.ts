/**
 * The individual readiness checks behind health(): config, rate-limit store, SQL Server and any
 * host-supplied ones. Each returns a CheckReport and never throws.
 */
import { type ApiGuardConfig, CONNECTION_STRING_NAMES, lookupIgnoringCase as lookup } from '../config/index.js';
import { sqlCheck } from './sql-check.js';
import { describeTarget, type SqlTarget } from './sql-errors.js';

/** What a host-supplied check returns; extra keys are copied into the report (keep them secret-free). */
export interface HealthCheckResult {
  readonly ok: boolean;
  readonly latencyMs?: number;
  readonly error?: string | { readonly kind?: string; readonly message: string };
  readonly [detail: string]: unknown;
}

export type HealthCheck = () => Promise<HealthCheckResult> | HealthCheckResult;

export type CheckStatus = 'Healthy' | 'Unhealthy' | 'Skipped';

/** One entry of `report.checks`. */
export interface CheckReport {
  readonly status: CheckStatus;
  /** A failing required check makes the whole report Unhealthy (503). */
  readonly required: boolean;
  readonly latencyMs?: number;
  readonly error?: { readonly kind?: string; readonly message: string };
  readonly [detail: string]: unknown;
}

/** True when one of the names `config.connectionString()` tries is set (keys matched ignoring case, as it does). */
export function hasConnectionString(config: ApiGuardConfig | undefined): boolean {
  if (!config) return false;
  return CONNECTION_STRING_NAMES.some((name) => (lookup(config.ConnectionStrings, name) ?? '').trim() !== '');
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Runs a host-supplied check, bounded by `timeoutMs`, turning a throw into an Unhealthy report. */
export async function runCustomCheck(
  name: string,
  check: HealthCheck,
  required: boolean,
  timeoutMs: number,
): Promise<CheckReport> {
  const started = Date.now();
  try {
    const result = await withTimeout(Promise.resolve().then(check), timeoutMs, `check "${name}"`);
    const { ok, error, latencyMs, ...details } = result;
    return {
      ...details,
      status: ok ? 'Healthy' : 'Unhealthy',
      required,
      latencyMs: latencyMs ?? Date.now() - started,
      ...(error !== undefined ? { error: typeof error === 'string' ? { message: error } : error } : {}),
    };
  } catch (error) {
    return {
      status: 'Unhealthy',
      required,
      latencyMs: Date.now() - started,
      error: { message: error instanceof Error ? error.message : String(error) },
    };
  }
}

export function configReport(config: ApiGuardConfig | undefined, loadError: unknown): CheckReport {
  if (loadError !== undefined) {
    const message = loadError instanceof Error ? loadError.message : String(loadError);
    return { status: 'Unhealthy', required: true, error: { kind: 'config', message } };
  }
  if (!config) return { status: 'Skipped', required: false, reason: 'no config given to health()' };
  return {
    status: 'Healthy',
    required: true,
    environment: config.environment,
    warnings: config.warnings.length,
  };
}

export async function storeReport(
  config: ApiGuardConfig | undefined,
  store: HealthCheck | undefined,
  timeoutMs: number,
): Promise<CheckReport> {
  const kind = config?.RateLimiting.Store;
  if (store) return { kind: kind ?? 'custom', ...(await runCustomCheck('store', store, true, timeoutMs)) };
  if (kind === 'memory') return { status: 'Healthy', required: true, kind };
  if (kind === 'redis') {
    return { status: 'Skipped', required: false, kind, reason: 'Redis is not checked unless health() gets a store check' };
  }
  return { status: 'Skipped', required: false, reason: 'no config given to health()' };
}

export async function sqlReport(
  config: ApiGuardConfig | undefined,
  mode: boolean | 'auto',
  timeoutMs: number,
  details: boolean,
): Promise<CheckReport> {
  if (mode === false) return { status: 'Skipped', required: false, reason: 'disabled' };
  if (mode === 'auto' && !hasConnectionString(config)) {
    return { status: 'Skipped', required: false, reason: 'no connection string configured' };
  }
  if (!config) {
    return {
      status: 'Unhealthy',
      required: true,
      error: { kind: 'config', message: 'health({ sql: true }) needs a config with a connection string' },
    };
  }
  let target: SqlTarget | undefined;
  try {
    target = describeTarget(config.connectionString());
  } catch {
    // sqlCheck reports the same failure as kind 'config' below.
  }
  const result = await sqlCheck(config, { timeoutMs });
  // 'auto' checks what it can: an app that has a connection string but not the optional tedious
  // stays ready, and the report says how to enable the check. With sql: true it is a failure.
  if (!result.ok && result.error.kind === 'driver' && mode === 'auto') {
    return { status: 'Skipped', required: false, reason: result.error.message };
  }
  const where = details && target ? { server: target.server, port: target.port, instanceName: target.instanceName, database: target.database } : {};
  if (result.ok) {
    return {
      status: 'Healthy',
      required: true,
      latencyMs: result.latencyMs,
      ...where,
      ...(details ? { serverVersion: result.serverVersion } : {}),
    };
  }
  return { status: 'Unhealthy', required: true, latencyMs: result.latencyMs, ...where, error: result.error };
}
