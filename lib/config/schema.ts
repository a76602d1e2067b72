/**
 * The zod schema for our sections. Messages are written as "is not X; do Y" so the loader can put
 * the value in front (`"10 min" is not a period; use …`). Values from environment variables are
 * strings, so numbers and booleans are coerced from strings, as ASP.NET Core's binder does.
 */
import { z } from 'zod';
import {
  ENDPOINT_HINT,
  HOST_PORT_HINT,
  LOG_LEVELS,
  PERIOD_HINT,
  isFileSize,
  isIpOrCidr,
  isMaxFiles,
  isPeriod,
  normalizeClientKey,
  normalizeLogLevel,
  normalizePeriod,
  parseEndpoint,
  parseHostPort,
} from './values.js';

const toNumber = (v: unknown): unknown => (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v);
const toBoolean = (v: unknown): unknown =>
  typeof v === 'string' && /^\s*(true|false)\s*$/i.test(v) ? v.trim().toLowerCase() === 'true' : v;
const lower = (v: unknown): unknown => (typeof v === 'string' ? v.trim().toLowerCase() : v);

function integer(min: number, max: number, hint: string) {
  return z.preprocess(
    toNumber,
    z
      .number({ error: `is not a number; ${hint}` })
      .int({ error: `is not a whole number; ${hint}` })
      .min(min, { error: `is out of range; ${hint}` })
      .max(max, { error: `is out of range; ${hint}` }),
  );
}

const boolean = z.preprocess(toBoolean, z.boolean({ error: 'is not a boolean; use true or false' }));

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const list = values.map((v) => `"${v}"`).join(', ');
  return z.preprocess(lower, z.enum(values, { error: `is not allowed; use one of ${list}` }));
}

function text(hint: string) {
  return z.string({ error: `is not a string; ${hint}` }).min(1, { error: `is empty; ${hint}` });
}

const section = (name: string) => ({
  error: (issue: { code: string }) =>
    issue.code === 'invalid_type' ? `is not a section; ${name} must be an object of settings` : undefined,
});

const period = z.preprocess(
  normalizePeriod,
  z.string({ error: `is not a period; ${PERIOD_HINT}` }).refine(isPeriod, { error: `is not a period; ${PERIOD_HINT}` }),
);

const endpoint = z
  .string({ error: `is not an endpoint; ${ENDPOINT_HINT}` })
  .refine((v) => parseEndpoint(v) !== undefined, { error: `is not an endpoint; ${ENDPOINT_HINT}` });

const LIMIT_HINT = 'use a positive whole number of requests (e.g. 100)';

export const ruleSchema = z.strictObject(
  {
    Name: text('give each rule a short unique name, e.g. "per-minute"').regex(/^[A-Za-z0-9._-]+$/, {
      error: 'is not a rule name; use letters, digits, ".", "_" or "-" (it appears in response headers)',
    }),
    Endpoint: endpoint,
    Period: period,
    Limit: integer(1, Number.MAX_SAFE_INTEGER, LIMIT_HINT),
  },
  section('a rule'),
);

const rules = z.array(ruleSchema, { error: 'is not an array; Rules is a list of { Name, Endpoint, Period, Limit }' }).superRefine(
  (list, ctx) => {
    const seen = new Map<string, number>();
    list.forEach((rule, index) => {
      const key = rule.Name.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) seen.set(key, index);
      else ctx.addIssue({ code: 'custom', path: [index, 'Name'], message: `duplicates the name of Rules[${first}]; rule names must be unique` });
    });
  },
);

function list(item: z.ZodType<string>, what: string) {
  return z.array(item, { error: `is not an array; ${what} is a list of strings` });
}

const clientKey = z.preprocess(
  (v) => (typeof v === 'string' ? (normalizeClientKey(v) ?? v) : v),
  z
    .string({ error: 'is not a client key; use "ip" or "header:<Header-Name>"' })
    .refine((v) => normalizeClientKey(v) === v, { error: 'is not a client key; use "ip" or "header:<Header-Name>" (e.g. "header:X-Api-Key")' }),
);

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
          Nodes: list(
            z.string({ error: `is not a node; ${HOST_PORT_HINT}` }).refine((v) => parseHostPort(v) !== undefined, { error: `is not host:port; ${HOST_PORT_HINT}` }),
            'Nodes',
          ),
          SentinelName: text('use the master group name from the Sentinels\' "sentinel monitor <name> …" line').optional(),
          Password: z.string({ error: 'is not a string; put the password in double quotes' }).optional(),
          KeyPrefix: z.string({ error: 'is not a string; use a short prefix such as "rl:"' }).refine((v) => !/[{}]/.test(v), {
            error: 'contains "{" or "}"; leave them out (the store adds the {client} hash tag itself)',
          }),
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
    HttpStatusCode: integer(400, 599, 'use an HTTP error status between 400 and 599 (e.g. 429)'),
    IpWhitelist: list(
      z.string({ error: 'is not an address; use an IP address or CIDR block (e.g. "10.0.0.0/8")' }).refine(isIpOrCidr, {
        error: 'is not an IP address or CIDR block; use e.g. "127.0.0.1", "::1" or "10.0.0.0/8"',
      }),
      'IpWhitelist',
    ),
    ClientWhitelist: list(z.string({ error: 'is not a string; list client keys to exempt' }), 'ClientWhitelist'),
    EndpointWhitelist: list(endpoint, 'EndpointWhitelist'),
    Headers: oneOf(['draft-10', 'legacy', 'both', 'none']),
    MaxClients: integer(1, 100_000_000, 'use a positive whole number of clients to track (e.g. 100000)'),
    Rules: rules,
  },
  section('RateLimiting'),
);

const LEVEL_HINT = `use one of ${LOG_LEVELS.join(', ')}`;
const logLevel = z.preprocess(
  (v) => (typeof v === 'string' ? (normalizeLogLevel(v) ?? v) : v),
  z.enum(LOG_LEVELS as ['Trace', ...typeof LOG_LEVELS[number][]], { error: `is not a log level; ${LEVEL_HINT}` }),
);

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
    Header: text('use a header name such as "X-Trace-Id"').regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, {
      error: 'is not a header name; use letters, digits and "-" (e.g. "X-Trace-Id")',
    }),
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

const secretText = z.string({ error: 'is not a string; put the value in double quotes' });

/** Our top-level keys; anything else is the host app's and passes through. */
export const configSchema = z.looseObject({
  RateLimiting: rateLimitingSchema,
  Logging: loggingSchema,
  Tracing: tracingSchema,
  Errors: errorsSchema,
  Https: httpsSchema,
  ConnectionStrings: z.record(z.string(), secretText, section('ConnectionStrings')),
  SecureStorageKeys: z.record(z.string(), secretText, section('SecureStorageKeys')),
  SessionSigningKey: secretText.optional(),
  IpRateLimiting: z.unknown().optional(),
});

export type ValidatedConfig = z.output<typeof configSchema>;
