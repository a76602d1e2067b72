/**
 * Environment variables as a config layer, as ASP.NET Core reads them: `__` separates sections,
 * names are case-insensitive, values are strings (the schema coerces numbers and booleans).
 * Only variables whose first section is one we know, or one present in the files, are taken:
 * the environment is full of unrelated names (PATH, HOME, …) that must not become config.
 */
import type { Entry } from './layers.js';

// Azure App Service style connection strings, mapped like ASP.NET Core does.
const CONNECTION_STRING_PREFIXES = ['SQLCONNSTR_', 'SQLAZURECONNSTR_', 'MYSQLCONNSTR_', 'CUSTOMCONNSTR_'];

/** Leaves from `env` whose first segment `wanted` accepts; variable names sorted for a stable order. */
export function environmentEntries(
  env: Readonly<Record<string, string | undefined>>,
  wanted: (segments: readonly string[]) => boolean,
): Entry[] {
  const entries: Entry[] = [];
  for (const variable of Object.keys(env).sort()) {
    const value = env[variable];
    if (value === undefined) continue;
    const prefix = CONNECTION_STRING_PREFIXES.find((p) => variable.toUpperCase().startsWith(p));
    if (prefix !== undefined && variable.length > prefix.length) {
      entries.push({ segments: ['ConnectionStrings', variable.slice(prefix.length)], value, origin: { kind: 'env', variable } });
      continue;
    }
    const segments = variable.split('__');
    if (segments.some((s) => s === '')) continue;
    if (!wanted(segments)) continue;
    entries.push({ segments, value, origin: { kind: 'env', variable } });
  }
  return entries;
}
