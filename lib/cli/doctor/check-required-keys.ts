/**
 * Check 3: the secrets the app needs are present and non-empty. Only names are reported, never values.
 * Works from the loaded config when there is one, otherwise from the files and variables as they are,
 * so a broken appsettings.json does not hide a missing key in the environment file.
 */
import { CONNECTION_STRING_NAMES } from '../../config/index.js';
import { type DoctorContext } from './context.js';
import { type DoctorCheck } from './types.js';

const ENCRYPTER_KEY = /^KeyForEncrypter-\d+$/i;

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

function entries(value: unknown): [string, unknown][] {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [];
}

function findIgnoringCase(record: unknown, name: string): unknown {
  const found = entries(record).find(([key]) => key.toLowerCase() === name.toLowerCase());
  return found?.[1];
}

interface Secrets {
  connectionStringName?: string;
  encrypterKeys: string[];
  signingKey: boolean;
}

function fromConfig(context: DoctorContext): Secrets | undefined {
  const config = context.config;
  if (!config) return undefined;
  const name = CONNECTION_STRING_NAMES.find((n) => nonEmpty(findIgnoringCase(config.ConnectionStrings, n)));
  return {
    ...(name ? { connectionStringName: name } : {}),
    encrypterKeys: entries(config.SecureStorageKeys).filter(([k, v]) => ENCRYPTER_KEY.test(k) && nonEmpty(v)).map(([k]) => k),
    signingKey: nonEmpty(config.SessionSigningKey),
  };
}

function fromRaw(context: DoctorContext): Secrets {
  const name = CONNECTION_STRING_NAMES.find((n) => nonEmpty(context.setting(['ConnectionStrings', n])));
  const keys = new Set<string>();
  const seen = new Set<string>();
  // Variables first: they win over files, and an empty variable blanks a file's key.
  for (const [variable, value] of Object.entries(context.env)) {
    const match = /^SecureStorageKeys__(KeyForEncrypter-\d+)$/i.exec(variable);
    if (match) {
      seen.add((match[1] as string).toLowerCase());
      if (nonEmpty(value)) keys.add(match[1] as string);
    }
  }
  for (const file of [context.envFile, context.baseFile]) {
    for (const [key, value] of entries(findIgnoringCase(file?.value, 'SecureStorageKeys'))) {
      if (!ENCRYPTER_KEY.test(key) || seen.has(key.toLowerCase())) continue;
      seen.add(key.toLowerCase());
      if (nonEmpty(value)) keys.add(key);
    }
  }
  return {
    ...(name ? { connectionStringName: name } : {}),
    encrypterKeys: [...keys],
    signingKey: nonEmpty(context.setting(['SessionSigningKey'])),
  };
}

export function checkRequiredKeys(context: DoctorContext): DoctorCheck {
  const base = { id: 'required-keys', title: 'required keys' } as const;
  const found = fromConfig(context) ?? fromRaw(context);
  const basis = context.config ? '' : ' (read from the files as they are; the configuration did not load)';
  const envFile = context.envFile?.name ?? `appsettings.${context.environment.name}.json`;
  const missing: string[] = [];
  const fixes: string[] = [];
  if (!found.connectionStringName) {
    missing.push('ConnectionStrings.Issuetrak-Databse (or Issuetrak-Database)');
    fixes.push('"ConnectionStrings": { "Issuetrak-Databse": "Server=...;Database=...;User Id=...;Password=..." }');
  }
  if (found.encrypterKeys.length === 0) {
    missing.push('SecureStorageKeys.KeyForEncrypter-1 (at least one KeyForEncrypter-N)');
    fixes.push('"SecureStorageKeys": { "KeyForEncrypter-1": "<the key from the original install>" }');
  }
  if (!found.signingKey) {
    missing.push('SessionSigningKey');
    fixes.push('"SessionSigningKey": "<a long random value>"');
  }
  if (missing.length > 0) {
    return {
      ...base,
      status: 'fail',
      detail: `missing or empty: ${missing.join('; ')}${basis}`,
      fix: `add to ${envFile}: ${fixes.join(', ')} (or set them as environment variables, e.g. SessionSigningKey)`,
    };
  }
  const keys = found.encrypterKeys.sort().join(', ');
  return {
    ...base,
    status: 'ok',
    detail: `ConnectionStrings.${found.connectionStringName}, SecureStorageKeys (${keys}) and SessionSigningKey are set (values not shown)${basis}`,
  };
}
