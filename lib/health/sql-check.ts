/**
 * One-shot SQL Server reachability check over tedious: connect, log in, `SELECT @@VERSION`, close.
 * Used by the /health middleware and by `express-api-guard doctor`. tedious is loaded on the first
 * check (see load-tedious.ts); without it the check answers `{ kind: 'driver' }` instead of running.
 */
import { performance } from 'node:perf_hooks';
import type { Connection, ConnectionConfiguration } from 'tedious';
import type { ApiGuardConfig, SqlConnectionConfig } from '../config/index.js';
import { secretMasker } from '../core/index.js';
import { loadTedious, TediousLoadError } from './load-tedious.js';
import { classifySqlError, describeTarget, type SqlCheckError, type SqlTarget } from './sql-errors.js';

export type SqlCheckResult =
  | { readonly ok: true; readonly latencyMs: number; readonly serverVersion: string }
  | { readonly ok: false; readonly latencyMs: number; readonly error: SqlCheckError };

export type SqlCheckOptions = Readonly<{
  /**
   * Upper bound for the whole check (DNS, TCP, TLS, login and query). A server that accepts the
   * connection and never answers yields `{ kind: 'timeout' }` after this long. Defaults to 5000.
   */
  timeoutMs?: number;
}>;

// Extra time past the deadline before our own timer gives up on tedious; tedious's connectTimeout
// normally fires first and cleans up its socket itself.
const BACKSTOP_MS = 250;

function isGuardConfig(target: ApiGuardConfig | SqlConnectionConfig): target is ApiGuardConfig {
  return typeof (target as Partial<ApiGuardConfig>).connectionString === 'function';
}

function passwordOf(config: SqlConnectionConfig): string | undefined {
  const options: unknown = config.authentication?.options;
  if (options !== null && typeof options === 'object' && 'password' in options) {
    const password = (options as { password?: unknown }).password;
    return typeof password === 'string' ? password : undefined;
  }
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Connects to SQL Server with tedious, runs `SELECT @@VERSION` and closes the connection, whatever
 * happens. `target` is a loaded config (its default connection string, `Issuetrak-Databse` then
 * `Issuetrak-Database`, is used) or a tedious connection configuration. Never throws; failures come
 * back as `{ ok: false, error: { kind, message } }` where kind is one of `dns`, `refused`, `timeout`,
 * `tls`, `login` (message is the server's, e.g. `Login failed for user 'app'.`), `config`, `driver`
 * (tedious, an optional peer dependency, is not installed: `npm install tedious@19`) or `other`.
 * Messages never contain the password. If the login works but the query fails, the result is
 * `{ ok: false, kind: 'other' }` with the server's message: a login that cannot run a trivial
 * SELECT is not a usable database.
 */
export async function sqlCheck(
  target: ApiGuardConfig | SqlConnectionConfig,
  options: SqlCheckOptions = {},
): Promise<SqlCheckResult> {
  const timeoutMs = options.timeoutMs ?? 5000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(`sqlCheck: timeoutMs must be a positive number of milliseconds, got ${String(timeoutMs)}`);
  }
  let started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const secrets: string[] = [];
  const fail = (error: SqlCheckError, mask: (text: string) => string): SqlCheckResult => ({
    ok: false,
    latencyMs: elapsed(),
    error: { kind: error.kind, message: mask(error.message) },
  });

  let config: SqlConnectionConfig;
  let target_: SqlTarget;
  try {
    if (isGuardConfig(target)) {
      secrets.push(...target.secretValues());
      config = target.connectionString();
    } else {
      config = target;
    }
    const password = passwordOf(config);
    if (password) secrets.push(password);
    target_ = describeTarget(config);
  } catch (error) {
    return fail({ kind: 'config', message: messageOf(error) }, secretMasker(secrets));
  }

  // After the config checks, so that a bad connection string is reported as such without tedious.
  let tedious: Awaited<ReturnType<typeof loadTedious>>;
  try {
    tedious = await loadTedious();
  } catch (error) {
    const missing = error instanceof TediousLoadError && error.code === 'TEDIOUS_MISSING';
    return fail({ kind: missing ? 'driver' : 'other', message: messageOf(error) }, secretMasker(secrets));
  }
  started = performance.now(); // latency measures the server, not the first check's load of tedious

  let connection: Connection;
  try {
    // SqlConnectionConfig mirrors tedious's type (assignable without a cast); tedious checks the values.
    const tediousConfig: ConnectionConfiguration = config;
    connection = new tedious.Connection({
      ...tediousConfig,
      options: {
        ...config.options,
        connectTimeout: timeoutMs,
        requestTimeout: timeoutMs,
        maxRetriesOnTransientErrors: 0,
      },
    });
  } catch (error) {
    return fail({ kind: 'config', message: messageOf(error) }, secretMasker(secrets));
  }
  const mask = secretMasker(secrets);

  return new Promise<SqlCheckResult>((resolve) => {
    let settled = false;
    const finish = (result: SqlCheckResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(backstop);
      connection.close();
      resolve(result);
    };
    const failWith = (error: unknown, prefix = ''): void => {
      const classified = classifySqlError(error, target_, timeoutMs);
      finish(fail({ kind: classified.kind, message: prefix + classified.message }, mask));
    };
    const backstop = setTimeout(() => failWith(Object.assign(new Error('timeout'), { code: 'ETIMEOUT' })), timeoutMs + BACKSTOP_MS);

    // Tedious emits socket errors after the connect callback too; once we have a result they are noise.
    connection.on('error', (error: unknown) => failWith(error));
    connection.connect((connectError) => {
      if (connectError) return failWith(connectError);
      let serverVersion: string | undefined;
      const request = new tedious.Request('SELECT @@VERSION', (requestError) => {
        if (requestError) return failWith(requestError, 'Logged in, but SELECT @@VERSION failed: ');
        if (serverVersion === undefined) {
          return finish(fail({ kind: 'other', message: 'Logged in, but SELECT @@VERSION returned no row.' }, mask));
        }
        finish({ ok: true, latencyMs: elapsed(), serverVersion });
      });
      request.on('row', (columns: Array<{ value: unknown }>) => {
        serverVersion = String(columns[0]?.value ?? '').trim();
      });
      const remaining = Math.max(1, timeoutMs - elapsed());
      request.setTimeout(remaining);
      connection.execSqlBatch(request);
    });
  });
}
