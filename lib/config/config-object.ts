/**
 * The object loadConfig returns: validated data, frozen all the way down, with methods that are
 * not enumerable and a toJSON()/inspect view that shows every secret as ***.
 */
import { inspect } from 'node:util';
import { parseConnectionString } from './connection-string.js';
import { ConfigError } from './errors.js';
import { createSecretPolicy, isSensitiveKey, parseIpRange, type SecretPolicy } from '../core/index.js';
import { findSecretValues, shortSecretWarnings, type FoundSecret } from './secret-values.js';
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

/**
 * Each config's unmasked view (ours and the host sections, secrets as written). Not on the object:
 * toJSON and inspect are what users and logs see; only the watcher compares secrets themselves.
 */
const unmaskedViews = new WeakMap<object, () => Record<string, unknown>>();

/** The config as loaded, secrets included, for telling two loads apart; never for output. */
export function unmaskedView(config: ApiGuardConfig): Record<string, unknown> {
  return unmaskedViews.get(config)?.() ?? { ...config };
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
 * Raw API keys in RateLimiting.ClientWhitelist and in a policy's Client (one that is not an address)
 * when the client key is a secret header (`header:X-Api-Key`): each is then a client's credential,
 * not a name.
 */
function whitelistedKeys(rateLimiting: ValidatedConfig['RateLimiting']): FoundSecret[] {
  const header = /^header:(.+)$/i.exec(rateLimiting.ClientKey.trim())?.[1];
  if (header === undefined || !isSensitiveKey(header)) return [];
  const policyClients = rateLimiting.Policies.flatMap((policy, i) =>
    policy.Client !== undefined && !parseIpRange(policy.Client).ok ? [{ path: `RateLimiting.Policies[${i}].Client`, value: policy.Client }] : [],
  );
  return [...rateLimiting.ClientWhitelist.map((value) => ({ path: 'RateLimiting.ClientWhitelist', value })), ...policyClients];
}

export function createConfigObject(data: ValidatedConfig, meta: ConfigMeta): ApiGuardConfig {
  // Computed once per load (a reload builds a new config object, and with it a new policy).
  const found = [
    ...findSecretValues(data),
    ...[...meta.sections.values()].flatMap(({ key, value }) => findSecretValues(value, [key])),
    ...whitelistedKeys(data.RateLimiting),
  ];
  const secretList = Object.freeze([...new Set(found.map((s) => s.value))].filter((s) => s !== ''));
  const policy = createSecretPolicy(secretList);
  const warnings = Object.freeze([...meta.warnings, ...shortSecretWarnings(found)]);

  const snapshot = (): Record<string, unknown> => {
    const hostSections = Object.fromEntries([...meta.sections.values()].map(({ key, value }) => [key, value]));
    const { IpRateLimiting: _ip, IpRateLimitPolicies: _ipPolicies, ClientRateLimitPolicies: _clientPolicies, ...ours } = data;
    return {
      configDir: meta.configDir,
      environment: meta.environment,
      environmentSource: meta.environmentSource,
      ...ours,
      ...hostSections,
      sources: meta.sources,
      warnings,
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
    warnings,
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
      return secretList;
    },
    secretPolicy(): SecretPolicy {
      return policy;
    },
    toJSON(): unknown {
      return policy.redact(snapshot());
    },
    [inspect.custom](): unknown {
      return policy.redact(snapshot());
    },
  };
  for (const [key, value] of Object.entries(methods)) {
    Object.defineProperty(config, key, { value, enumerable: false });
  }
  Object.defineProperty(config, inspect.custom, { value: methods[inspect.custom], enumerable: false });
  for (const { value } of meta.sections.values()) deepFreeze(value);
  unmaskedViews.set(config, snapshot);
  return deepFreeze(config) as unknown as ApiGuardConfig;
}
