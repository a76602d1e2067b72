/**
 * The zod schema for our sections. Messages are written as "is not X; do Y" so the loader can put
 * the value in front (`"10 min" is not a period; use …`). Values from environment variables are
 * strings, so numbers and booleans are coerced from strings, as ASP.NET Core's binder does.
 */
import { z } from 'zod';
import { isFileSize, isMaxFiles } from '../core/index.js';
import { CONFIG_PATH_HINT, parseConfigPath } from './config-path.js';
import { checkPolicies, policiesSchema, rulesSchema } from './rule-schema.js';
import {
  STATUS_HINT,
  boolean,
  clientKey,
  endpoint,
  headerName,
  hostPort,
  integer,
  ipOrCidr,
  keyPrefix,
  logLevel,
  oneOf,
  quotaMessage,
  section,
  text,
} from './zod-values.js';

function list(item: z.ZodType<string>, what: string) {
  return z.array(item, { error: `is not an array; ${what} is a list of strings` });
}

export const rateLimitingSchema = z.strictObject(
  {
    Enabled: boolean,
    ClientKey: clientKey,
    Store: oneOf(['memory', 'redis']),
    Redis: z
      .strictObject(
        {
          Mode: oneOf(['standalone', 'cluster', 'sentinel']),
          Url: text('use a redis:// or rediss:// URL').regex(/^rediss?:\/\//i, { error: 'is not a Redis URL; use redis://host:6379 or rediss://host:6380' }),
          Nodes: list(hostPort, 'Nodes'),
          SentinelName: text('use the master group name from the Sentinels\' "sentinel monitor <name> …" line').optional(),
          Password: z.string({ error: 'is not a string; put the password in double quotes' }).optional(),
          KeyPrefix: keyPrefix,
          OnError: oneOf(['open', 'closed']),
          TimeoutMs: integer(1, 60_000, 'use milliseconds between 1 and 60000 (e.g. 5000)'),
          Instances: integer(1, 10_000, 'use the number of processes sharing the store (e.g. 4)'),
        },
        section('Redis'),
      )
      .superRefine((redis, ctx) => {
        // Reported at Mode: that is the value in the file that asks for the missing settings.
        if (redis.Mode === 'standalone') return;
        if (redis.Nodes.length === 0) {
          const what = redis.Mode === 'cluster' ? 'the Cluster seed nodes' : 'the Sentinels';
          const port = redis.Mode === 'cluster' ? 7000 : 26379;
          ctx.addIssue({ code: 'custom', path: ['Mode'], message: `needs Nodes; list ${what} in RateLimiting.Redis.Nodes as "host:port", e.g. ["10.0.0.5:${port}", "10.0.0.6:${port}"]` });
        }
        if (redis.Mode === 'sentinel' && redis.SentinelName === undefined) {
          ctx.addIssue({ code: 'custom', path: ['Mode'], message: 'needs SentinelName; set RateLimiting.Redis.SentinelName to the master group name from the Sentinels\' "sentinel monitor <name> …" line' });
        }
      }),
    StackBlockedRequests: boolean,
    HttpStatusCode: integer(400, 599, STATUS_HINT),
    IpWhitelist: list(ipOrCidr, 'IpWhitelist'),
    ClientWhitelist: list(z.string({ error: 'is not a string; list client keys to exempt' }), 'ClientWhitelist'),
    EndpointWhitelist: list(endpoint, 'EndpointWhitelist'),
    Headers: oneOf(['draft-10', 'legacy', 'both', 'none']),
    MaxClients: integer(1, 100_000_000, 'use a positive whole number of clients to track (e.g. 100000)'),
    Rules: rulesSchema,
    Policies: policiesSchema,
    MonitoredInHeaders: boolean,
    QuotaExceededMessage: quotaMessage.optional(),
  },
  section('RateLimiting'),
).superRefine((section, ctx) => checkPolicies(section.Policies, section.ClientKey, ctx));

export const loggingSchema = z.strictObject(
  {
    LogLevel: z.record(z.string(), logLevel, section('LogLevel')),
    DetailedTrace: boolean,
    Directory: text('use a folder path (relative paths are resolved against the config folder)'),
    File: z.strictObject(
      {
        MaxSize: z.preprocess(
          (v) => (typeof v === 'number' ? String(v) : v),
          z.string({ error: 'is not a size; use a number followed by k, m or g (e.g. "20m")' }).refine(isFileSize, {
            error: 'is not a size; use a number followed by k, m or g (e.g. "20m")',
          }),
        ),
        MaxFiles: z.preprocess(
          (v) => (typeof v === 'number' ? String(v) : v),
          z.string({ error: 'is not a retention; use days such as "14d" or a number of files' }).refine(isMaxFiles, {
            error: 'is not a retention; use days such as "14d" or a number of files',
          }),
        ),
      },
      section('File'),
    ),
    Console: boolean,
  },
  section('Logging'),
);

export const tracingSchema = z.strictObject(
  {
    Format: oneOf(['aspnet', 'w3c']),
    Header: headerName,
    TrustTraceparent: boolean,
  },
  section('Tracing'),
);

export const errorsSchema = z.strictObject({ Format: oneOf(['issuetrak', 'problem']), IncludeDetails: boolean }, section('Errors'));

export const httpsSchema = z.strictObject(
  {
    Required: boolean,
    Hsts: boolean,
    HstsMaxAge: integer(0, 2 ** 31 - 1, 'use seconds (e.g. 31536000 for one year)'),
    AllowLoopbackInDevelopment: boolean,
    Certificate: z
      .strictObject(
        { Path: text('use the path of a PEM certificate file'), KeyPath: text('use the path of a PEM private key file') },
        section('Certificate'),
      )
      .optional(),
  },
  section('Https'),
);

const configPath = z
  .string({ error: `is not a config path; ${CONFIG_PATH_HINT}` })
  .refine((v) => parseConfigPath(v) !== undefined, { error: `is not a config path; ${CONFIG_PATH_HINT}` });

/** Prometheus metrics (docs/observability.md). */
export const metricsSchema = z.strictObject(
  {
    Enabled: boolean,
    Port: integer(1, 65_535, 'use a TCP port from 1 to 65535 (e.g. 9464), or remove Port to serve /metrics on the app').optional(),
  },
  section('Metrics'),
);

/** What `express-api-guard doctor` checks beyond the guard's own settings. */
export const doctorSchema = z.strictObject({ RequiredKeys: list(configPath, 'RequiredKeys') }, section('Doctor'));

const secretText = z.string({ error: 'is not a string; put the value in double quotes' });

/** Our top-level keys; anything else is the host app's and passes through. */
export const configSchema = z.looseObject({
  RateLimiting: rateLimitingSchema,
  Logging: loggingSchema,
  Tracing: tracingSchema,
  Errors: errorsSchema,
  Https: httpsSchema,
  Metrics: metricsSchema,
  Doctor: doctorSchema,
  ConnectionStrings: z.record(z.string(), secretText, section('ConnectionStrings')),
  SecureStorageKeys: z.record(z.string(), secretText, section('SecureStorageKeys')),
  SessionSigningKey: secretText.optional(),
  IpRateLimiting: z.unknown().optional(),
  IpRateLimitPolicies: z.unknown().optional(),
  ClientRateLimitPolicies: z.unknown().optional(),
});

export type ValidatedConfig = z.output<typeof configSchema>;
