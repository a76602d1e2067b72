/**
 * Built-in defaults: the six default rate limits (DEFAULT_RULES), Information logging to `logs/`,
 * issuetrak error bodies, aspnet trace IDs, HTTPS required.
 */
import { DEFAULT_RULES as RULES, DEFAULT_STORE_TIMEOUT_MS } from '../core/index.js';
import type { RateLimitRuleConfig } from './types.js';

/** The default rules in config spelling. They apply only when no layer sets any `RateLimiting:Rules`. */
export const DEFAULT_RULES: readonly RateLimitRuleConfig[] = Object.freeze(
  RULES.map((rule) => Object.freeze({ Name: rule.name, Endpoint: rule.endpoint, Period: rule.period, Limit: rule.limit })),
);

/** Every other default, as a lowest layer (PascalCase, the same shape as appsettings.json). */
export const DEFAULTS = {
  RateLimiting: {
    Enabled: true,
    ClientKey: 'ip',
    Store: 'memory',
    Redis: { Mode: 'standalone', Url: 'redis://127.0.0.1:6379', Nodes: [], KeyPrefix: 'rl:', OnError: 'open', TimeoutMs: DEFAULT_STORE_TIMEOUT_MS, Instances: 1 },
    StackBlockedRequests: false,
    HttpStatusCode: 429,
    IpWhitelist: [],
    ClientWhitelist: [],
    EndpointWhitelist: [],
    Headers: 'draft-10',
    MaxClients: 100_000,
    Policies: [],
    MonitoredInHeaders: false,
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
  Metrics: { Enabled: true },
  Doctor: { RequiredKeys: [] },
  ConnectionStrings: {},
  SecureStorageKeys: {},
} as const;
