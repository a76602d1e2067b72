/**
 * The object loadConfig returns: validated data, frozen all the way down, with methods that are
 * not enumerable and a toJSON()/inspect view that shows every secret as ***.
 */
import { inspect } from 'node:util';
import { connectionStringPassword, parseConnectionString } from './connection-string.js';
import { ConfigError } from './errors.js';
import { redact } from '../core/index.js';
import type { ValidatedConfig } from './schema.js';
import type { ApiGuardConfig, ConfigSource, EnvironmentSource, SqlConnectionConfig } from './types.js';

export interface ConfigMeta {
  readonly configDir: string;
  readonly environment: string;
  readonly environmentSource: EnvironmentSource;
  readonly sources: readonly ConfigSource[];
  readonly warnings: readonly string[];
  /** Host-app sections by lower-cased name. */
  readonly sections: ReadonlyMap<string, { readonly key: string; readonly value: unknown }>;
}

/** The names `connectionString()` tries, in order: the original's spelling, then the corrected one. */
export const CONNECTION_STRING_NAMES = ['Issuetrak-Databse', 'Issuetrak-Database'] as const;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** A value by key ignoring case, as ASP.NET Core configuration matches keys. */
export function lookup(record: Readonly<Record<string, string>>, name: string): string | undefined {
  const lower = name.toLowerCase();
  const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : record[key];
}

/**
 * The password in a URL such as `redis://:pass@host:6379`, as written and percent-decoded: it is a
 * credential even though it sits outside the secret sections, and an ioredis error may quote it.
 */
function urlPasswords(url: string): string[] {
  try {
    const { password } = new URL(url);
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    return []; // Not a URL: the rate limiter and doctor report that themselves.
  }
}

export function createConfigObject(data: ValidatedConfig, meta: ConfigMeta): ApiGuardConfig {
  const secrets = (): string[] => {
    const out: string[] = [];
    for (const value of Object.values(data.ConnectionStrings)) {
      out.push(value);
      const password = connectionStringPassword(value);
      if (password) out.push(password);
    }
    out.push(...Object.values(data.SecureStorageKeys));
    if (data.SessionSigningKey !== undefined) out.push(data.SessionSigningKey);
    out.push(...urlPasswords(data.RateLimiting.Redis.Url));
    return out.filter((s) => s !== '');
  };

  const snapshot = (): Record<string, unknown> => {
    const hostSections = Object.fromEntries([...meta.sections.values()].map(({ key, value }) => [key, value]));
    const { IpRateLimiting: _ip, ...ours } = data;
    return {
      configDir: meta.configDir,
      environment: meta.environment,
      environmentSource: meta.environmentSource,
      ...ours,
      ...hostSections,
      sources: meta.sources,
      warnings: meta.warnings,
    };
  };

  const config = {
    configDir: meta.configDir,
    environment: meta.environment,
    environmentSource: meta.environmentSource,
    RateLimiting: data.RateLimiting,
    Logging: data.Logging,
    Tracing: data.Tracing,
    Errors: data.Errors,
    Https: data.Https,
    Metrics: data.Metrics,
    Doctor: data.Doctor,
    ConnectionStrings: data.ConnectionStrings,
    SecureStorageKeys: data.SecureStorageKeys,
    ...(data.SessionSigningKey === undefined ? {} : { SessionSigningKey: data.SessionSigningKey }),
    sources: meta.sources,
    warnings: meta.warnings,
  } as Record<string, unknown>;

  const methods = {
    section<T = unknown>(name: string): T | undefined {
      return meta.sections.get(name.toLowerCase())?.value as T | undefined;
    },
    connectionString(name?: string): SqlConnectionConfig {
      const names = name === undefined ? CONNECTION_STRING_NAMES : [name];
      for (const candidate of names) {
        const text = lookup(data.ConnectionStrings, candidate);
        if (text === undefined) continue;
        try {
          return parseConnectionString(text);
        } catch (error) {
          if (error instanceof ConfigError) {
            throw new ConfigError(`ConnectionStrings.${candidate}: ${error.message}`, { code: error.code, path: `ConnectionStrings.${candidate}` });
          }
          throw error;
        }
      }
      const wanted = names.join(' or ');
      throw new ConfigError(
        `ConnectionStrings.${names[0] ?? ''} is not set; add "ConnectionStrings": { "${names[0] ?? ''}": "Server=…;Database=…;User Id=…;Password=…" } to appsettings.${meta.environment}.json or set the environment variable ConnectionStrings__${names[0] ?? ''} (looked for ${wanted})`,
        { code: 'CONNECTION_STRING_MISSING', path: `ConnectionStrings.${names[0] ?? ''}` },
      );
    },
    secretValues(): readonly string[] {
      return secrets();
    },
    toJSON(): unknown {
      return redact(snapshot(), secrets());
    },
    [inspect.custom](): unknown {
      return redact(snapshot(), secrets());
    },
  };
  for (const [key, value] of Object.entries(methods)) {
    Object.defineProperty(config, key, { value, enumerable: false });
  }
  Object.defineProperty(config, inspect.custom, { value: methods[inspect.custom], enumerable: false });
  for (const { value } of meta.sections.values()) deepFreeze(value);
  return deepFreeze(config) as unknown as ApiGuardConfig;
}
