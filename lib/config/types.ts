/**
 * The shape of a loaded, validated configuration. Section and key names keep the PascalCase of
 * appsettings.json (the file is matched case-insensitively, the object is canonical). Every other
 * folder codes against these types; lib/config/schema.ts is what produces them.
 */
import type { EnvironmentSource, LogLevelName, RuleMode, SecretPolicy } from '../core/index.js';

export type { LogLevelName, RuleMode, SecretPolicy };

/** One rate-limit rule as written in config. */
export interface RateLimitRuleConfig {
  /** Unique name, used in headers and store keys, e.g. `burst`. */
  readonly Name: string;
  /** `<methods>:<path-glob>` or `*`, e.g. `post,put,patch,delete:*`. */
  readonly Endpoint: string;
  /** `<number><s|m|h|d>`, e.g. `10m`. */
  readonly Period: string;
  /** Requests admitted per period, a positive integer. */
  readonly Limit: number;
  /** `Enforce` refuses over the limit; `Monitor` counts and logs but never refuses. Defaults to `Enforce`. */
  readonly Mode?: RuleMode;
}

/** Limits for one client (`RateLimiting.Policies[]`): exactly one of `Client` and `ClientSha256`. */
export interface RateLimitPolicyConfig {
  /**
   * The client ID as a request carries it: an IP address or CIDR range, or (with `ClientKey`
   * `header:<Name>`) the header's value.
   */
  readonly Client?: string;
  /** SHA-256 (64 hex characters) of the header's value, for a secret such as an API key. */
  readonly ClientSha256?: string;
  /** Merged over the general rules by name: a rule named like a general one replaces it for this client. */
  readonly Rules: readonly RateLimitRuleConfig[];
}

export interface RedisConfig {
  /** `standalone` (one server at `Url`), `cluster` (seed `Nodes`) or `sentinel` (Sentinels at `Nodes`). Defaults to `standalone`. */
  readonly Mode: 'standalone' | 'cluster' | 'sentinel';
  /**
   * Standalone: the server. Cluster and Sentinel: only its user, password, `rediss:` (TLS) and
   * database are used. Defaults to `redis://127.0.0.1:6379`.
   */
  readonly Url: string;
  /** `host:port` of the Cluster seed nodes or of the Sentinels. Defaults to none (required for cluster and sentinel). */
  readonly Nodes: readonly string[];
  /** The Sentinel master group name. Required for sentinel. */
  readonly SentinelName?: string;
  /** Redis password (a secret: masked in every output); wins over one in `Url`. Defaults to the one in `Url`, if any. */
  readonly Password?: string;
  /** Prefix of every key. Defaults to `rl:`. */
  readonly KeyPrefix: string;
  /** During an outage: `open` admits (in-process fallback), `closed` answers 503. Defaults to `open`. */
  readonly OnError: 'open' | 'closed';
  /** Bound on a Redis reply that never comes (not a slow one), in ms. Defaults to 5000. */
  readonly TimeoutMs: number;
  /** Processes sharing the store; each fallback grants ceil(limit / Instances). Defaults to 1. */
  readonly Instances: number;
}

export interface RateLimitingConfig {
  readonly Enabled: boolean;
  /** `ip` or `header:<Name>`. Defaults to `ip`. */
  readonly ClientKey: string;
  readonly Store: 'memory' | 'redis';
  readonly Redis: RedisConfig;
  readonly StackBlockedRequests: boolean;
  readonly HttpStatusCode: number;
  readonly IpWhitelist: readonly string[];
  readonly ClientWhitelist: readonly string[];
  readonly EndpointWhitelist: readonly string[];
  readonly Headers: 'draft-10' | 'legacy' | 'both' | 'none';
  /** Memory store bound. Defaults to 100 000. */
  readonly MaxClients: number;
  readonly Rules: readonly RateLimitRuleConfig[];
  /** Per-client limits; the first policy matching a request applies. Defaults to none. */
  readonly Policies?: readonly RateLimitPolicyConfig[];
  /** Lists Monitor-mode rules in the rate-limit headers. Defaults to false. */
  readonly MonitoredInHeaders?: boolean;
  /**
   * The refusal message in the error envelope; `{limit}`, `{period}`, `{rule}`, `{retryAfter}` (and
   * `{0}`, `{1}`, `{2}`) are filled in. Defaults to `API calls quota exceeded! maximum admitted {limit} per {period}.`
   */
  readonly QuotaExceededMessage?: string;
}

export interface LoggingConfig {
  /** Per-category levels; always has `Default`. */
  readonly LogLevel: Readonly<Record<string, LogLevelName>> & { readonly Default: LogLevelName };
  /** Turns Trace on for every category. Defaults to false. */
  readonly DetailedTrace: boolean;
  /** Absolute path (a relative value in the file is resolved against the config directory). */
  readonly Directory: string;
  readonly File: { readonly MaxSize: string; readonly MaxFiles: string };
  readonly Console: boolean;
}

export interface TracingConfig {
  readonly Format: 'aspnet' | 'w3c';
  /** Response header carrying the trace ID. Defaults to `X-Trace-Id`. */
  readonly Header: string;
  readonly TrustTraceparent: boolean;
}

export interface ErrorsConfig {
  readonly Format: 'issuetrak' | 'problem';
  /** Only honoured in the Development environment. Defaults to false. */
  readonly IncludeDetails: boolean;
}

export interface HttpsCertificateConfig {
  /** PEM certificate (chain) path, resolved against the config directory. */
  readonly Path: string;
  /** PEM private key path, resolved against the config directory. */
  readonly KeyPath: string;
}

export interface HttpsConfig {
  readonly Required: boolean;
  readonly Hsts: boolean;
  /** HSTS max-age in seconds. Defaults to 31536000 (one year). */
  readonly HstsMaxAge: number;
  /** Lets plain-HTTP loopback requests through in the Development environment only. Defaults to true. */
  readonly AllowLoopbackInDevelopment: boolean;
  readonly Certificate?: HttpsCertificateConfig;
}

export interface MetricsConfig {
  /** Prometheus metrics (guard.metrics, guard.metricsHandler). Defaults to true. */
  readonly Enabled: boolean;
  /**
   * A port of its own for `/metrics` (the example app serves it there instead of on the app's port,
   * for every caller that can reach it). Read at startup. Defaults to none: the app's port, loopback callers only.
   */
  readonly Port?: number;
}

export interface DoctorConfig {
  /**
   * Config paths (`ConnectionStrings:Issuetrak-Databse`, `SessionSigningKey`) that `doctor` checks are
   * set and non-empty, in any layer. Defaults to none.
   */
  readonly RequiredKeys: readonly string[];
}

/** Where one layer of the config came from, in the order applied. */
export interface ConfigSource {
  readonly kind: 'defaults' | 'file' | 'env' | 'overrides';
  /** File path for `file`; `environment variables` for `env`; `defaults` / `overrides` otherwise. */
  readonly name: string;
  /** False for an environment file that does not exist (reported, not an error). */
  readonly found: boolean;
  /** Environment variable names that contributed (only for `env`). */
  readonly variables?: readonly string[];
}

/** How the environment name was chosen. */
export type { EnvironmentSource };

/** A loaded configuration: frozen, with secrets shown as `***` by toJSON()/inspect. */
export interface ApiGuardConfig {
  readonly configDir: string;
  readonly environment: string;
  readonly environmentSource: EnvironmentSource;
  readonly RateLimiting: RateLimitingConfig;
  readonly Logging: LoggingConfig;
  readonly Tracing: TracingConfig;
  readonly Errors: ErrorsConfig;
  readonly Https: HttpsConfig;
  readonly Metrics: MetricsConfig;
  readonly Doctor: DoctorConfig;
  readonly ConnectionStrings: Readonly<Record<string, string>>;
  readonly SecureStorageKeys: Readonly<Record<string, string>>;
  readonly SessionSigningKey?: string;
  /** Files and variables that contributed, lowest layer first. */
  readonly sources: readonly ConfigSource[];
  /** Non-fatal findings (e.g. IpRateLimiting translation differences). */
  readonly warnings: readonly string[];
  /** A host-app section, matched case-insensitively; undefined when absent. */
  section<T = unknown>(name: string): T | undefined;
  /**
   * Parses a connection string into tedious options. Without a name, `Issuetrak-Databse` then
   * `Issuetrak-Database`. Throws ConfigError when absent, malformed or using Integrated Security.
   */
  connectionString(name?: string): SqlConnectionConfig;
  /**
   * Every secret value in the config: values under secret keys in every section (the host app's
   * too), connection strings and their passwords, URL passwords (Redis). Never print this.
   */
  secretValues(): readonly string[];
  /**
   * The secret policy built from this config when it was loaded: key rules plus {@link secretValues}.
   * Give it to `createLogger`, `errorMapper` and `startupLog` (`createApiGuard` does).
   */
  secretPolicy(): SecretPolicy;
  toJSON(): unknown;
}

/**
 * SQL Server connection settings as `connectionString()` returns them. The same shape as tedious's
 * `ConnectionConfiguration` (the subset of its options a connection string sets), so either can be
 * passed where the other is expected; declared here so that compiling against express-api-guard
 * does not need tedious, an optional peer dependency, installed.
 */
export interface SqlConnectionConfig {
  /** Host name or address; `.`, `(local)` and `(localdb)` in a connection string become `localhost`. */
  server: string;
  options?: SqlConnectionOptions;
  authentication?: SqlAuthentication;
}

/** The tedious connection options a connection string can set. */
export interface SqlConnectionOptions {
  port?: number | undefined;
  instanceName?: string | undefined;
  database?: string | undefined;
  /** `true`, `false`, or `'strict'` for TDS 8. */
  encrypt?: string | boolean;
  trustServerCertificate?: boolean;
  /** Milliseconds. */
  connectTimeout?: number;
  appName?: string | undefined;
}

/**
 * How to log in. A connection string yields `default` (SQL authentication) with
 * `{ userName, password }`; the other tedious types are accepted by `sqlCheck` as they are.
 */
export interface SqlAuthentication {
  type?:
    | 'default'
    | 'ntlm'
    | 'token-credential'
    | 'azure-active-directory-password'
    | 'azure-active-directory-access-token'
    | 'azure-active-directory-msi-vm'
    | 'azure-active-directory-msi-app-service'
    | 'azure-active-directory-default'
    | 'azure-active-directory-service-principal-secret';
  options?: unknown;
}
