/**
 * The shape of a loaded, validated configuration. Section and key names keep the PascalCase of
 * appsettings.json (the file is matched case-insensitively, the object is canonical). Every other
 * folder codes against these types; lib/config/schema.ts is what produces them.
 */
import type { ConnectionConfiguration } from 'tedious';

/** ASP.NET Core log level names, lowest first. */
export type LogLevelName = 'Trace' | 'Debug' | 'Information' | 'Warning' | 'Error' | 'Critical' | 'None';

/** One rate-limit rule as written in config. */
export interface RateLimitRuleConfig {
  /** Unique name, used in headers and store keys, e.g. `burst`. */
  readonly Name: string;
  /** `<methods>:<path-glob>` or `*`, e.g. `post,put,delete:*`. */
  readonly Endpoint: string;
  /** `<number><s|m|h|d>`, e.g. `10m`. */
  readonly Period: string;
  /** Requests admitted per period, a positive integer. */
  readonly Limit: number;
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
export type EnvironmentSource = 'option' | 'ASPNETCORE_ENVIRONMENT' | 'DOTNET_ENVIRONMENT' | 'NODE_ENV' | 'default';

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
  connectionString(name?: string): ConnectionConfiguration;
  /** Every secret value in the config (for log redaction); never print this. */
  secretValues(): readonly string[];
  toJSON(): unknown;
}
