/**
 * Environment variables as a config layer, as ASP.NET Core reads them: `__` separates sections,
 * names are case-insensitive, values are strings (the schema coerces numbers and booleans).
 * Only variables whose first section is one of ours, or a host section present in the files, are
 * taken: the environment is full of names that belong to something else (PATH, HTTP__PROXY, …),
 * and none of them may stop the app from starting.
 */
import type { Entry } from './layers.js';
import { closest } from '../core/index.js';

// Azure App Service style connection strings, mapped like ASP.NET Core does.
const CONNECTION_STRING_PREFIXES = ['SQLCONNSTR_', 'SQLAZURECONNSTR_', 'MYSQLCONNSTR_', 'CUSTOMCONNSTR_'];

/** The sections a variable may belong to. */
export interface EnvSections {
  /** Our sections, canonical spelling. */
  readonly ours: readonly string[];
  /** Our sections whose value is a single string (`SessionSigningKey`), read from a bare variable. */
  readonly oursScalar: readonly string[];
  /** Host sections present in a file, lower-cased. */
  readonly host: ReadonlySet<string>;
}

/** A `Section__Key` variable not taken because its section is a near-miss of one of ours. */
export interface NearMiss {
  readonly variable: string;
  /** The section as the variable spells it. */
  readonly section: string;
  /** Our section it resembles. */
  readonly suggestion: string;
}

/** Leaves from `env` that belong to config, and near-misses to warn about; names sorted for a stable order. */
export function environmentEntries(
  env: Readonly<Record<string, string | undefined>>,
  sections: EnvSections,
): { entries: Entry[]; nearMisses: NearMiss[] } {
  const ours = new Set(sections.ours.map((s) => s.toLowerCase()));
  const oursScalar = new Set(sections.oursScalar.map((s) => s.toLowerCase()));
  const entries: Entry[] = [];
  const nearMisses: NearMiss[] = [];
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
    const first = (segments[0] ?? '').toLowerCase();
    // A bare name that is one of our object sections (HTTPS=on from a CGI-style host) is not config.
    const taken = segments.length === 1 ? oursScalar.has(first) || sections.host.has(first) : ours.has(first) || sections.host.has(first);
    if (taken) {
      entries.push({ segments, value, origin: { kind: 'env', variable } });
      continue;
    }
    const suggestion = segments.length > 1 ? closest(segments[0] ?? '', sections.ours) : undefined;
    if (suggestion !== undefined) nearMisses.push({ variable, section: segments[0] ?? '', suggestion });
  }
  return { entries, nearMisses };
}
