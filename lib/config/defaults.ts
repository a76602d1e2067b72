/**
 * Built-in defaults: the API v2 operations guide's rate-limit table, Information logging to `logs/`,
 * issuetrak error bodies, aspnet trace IDs, HTTPS required.
 */
import type { RateLimitRuleConfig } from './types.js';

/** The six default rules. They apply only when no layer sets any `RateLimiting:Rules` (see docs). */
export const DEFAULT_RULES: readonly RateLimitRuleConfig[] = Object.freeze([
  { Name: 'burst', Endpoint: '*', Period: '1s', Limit: 20 },
  { Name: 'writes', Endpoint: 'post,put,delete:*', Period: '1s', Limit: 5 },
  { Name: 'per-minute', Endpoint: '*', Period: '1m', Limit: 100 },
  { Name: 'per-10-minutes', Endpoint: '*', Period: '10m', Limit: 100 },
  { Name: 'per-hour', Endpoint: '*', Period: '1h', Limit: 1000 },
  { Name: 'per-12-hours', Endpoint: '*', Period: '12h', Limit: 1000 },
].map((rule) => Object.freeze(rule)));

/** Every other default, as a lowest layer (PascalCase, the same shape as appsettings.json). */
export const DEFAULTS = {
  RateLimiting: {
    Enabled: true,
    ClientKey: 'ip',
    Store: 'memory',
    Redis: { Mode: 'standalone', Url: 'redis://127.0.0.1:6379', Nodes: [], KeyPrefix: 'rl:', OnError: 'open', TimeoutMs: 5000, Instances: 1 },
    StackBlockedRequests: false,
    HttpStatusCode: 429,
    IpWhitelist: [],
    ClientWhitelist: [],
    EndpointWhitelist: [],
    Headers: 'draft-10',
    MaxClients: 100_000,
  },
  Logging: {
    LogLevel: { Default: 'Information' },
    DetailedTrace: false,
    Directory: 'logs',
    File: { MaxSize: '20m', MaxFiles: '14d' },
    Console: true,
  },
  Tracing: { Format: 'aspnet', Header: 'X-Trace-Id', TrustTraceparent: false },
  Errors: { Format: 'issuetrak', IncludeDetails: false },
  Https: { Required: true, Hsts: true, HstsMaxAge: 31_536_000, AllowLoopbackInDevelopment: true },
  ConnectionStrings: {},
  SecureStorageKeys: {},
} as const;
