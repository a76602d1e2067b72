/**
 * The doctor report. Its JSON form (`doctor --json`) is a stable interface for scripts and
 * monitoring: fields are only ever added, and `version` changes if one is removed or changes meaning.
 */
import { type EnvironmentSource } from '../../config/index.js';

/** `info`: nothing to check or fix here (an optional file absent, nothing configured to check). */
export type DoctorCheckStatus = 'ok' | 'info' | 'warn' | 'fail';

/** The checks, in the order they run and print. */
export type DoctorCheckId =
  | 'config-file'
  | 'environment'
  | 'required-keys'
  | 'sql-server'
  | 'log-directories'
  | 'rate-limit-store'
  | 'rate-limit-rules'
  | 'https';

export interface DoctorCheck {
  readonly id: DoctorCheckId;
  /** Short name shown in the text report, e.g. `appsettings.json`. */
  readonly title: string;
  readonly status: DoctorCheckStatus;
  /** What was found; may span lines (a config error shows the offending line). Never holds a secret. */
  readonly detail: string;
  /** What to do about a failure or warning (or, for `info`, what would make the check run). */
  readonly fix?: string;
  /** Extra lines, e.g. the effective rate-limit table. */
  readonly notes?: readonly string[];
}

export interface DoctorReport {
  readonly version: 1;
  /** Absolute path of the config folder checked. */
  readonly configDir: string;
  readonly environment: { readonly name: string; readonly source: EnvironmentSource };
  readonly checks: readonly DoctorCheck[];
  /** True when no check failed (warnings allowed). */
  readonly ok: boolean;
}

export interface DoctorOptions {
  /** Folder holding appsettings.json. Defaults to the current directory. */
  readonly configDir?: string;
  /** Environment name; wins over ASPNETCORE_ENVIRONMENT and friends. Defaults to resolving from `env`. */
  readonly environment?: string;
  /** Environment variables. Defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Bound on the SQL Server connect + login + query. Defaults to 5000. */
  readonly sqlTimeoutMs?: number;
  /** Bound on the Redis PING + script check. Defaults to 5000. */
  readonly redisTimeoutMs?: number;
}
