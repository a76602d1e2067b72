/**
 * Check 3: the keys the app needs are set and non-empty. Which keys is the app's to say, in
 * `Doctor.RequiredKeys` (config paths such as `ConnectionStrings:Issuetrak-Databse`); with none
 * listed there is nothing to check. Only names are reported, never values. Works from the loaded
 * config when there is one, otherwise from the files and variables as they are, so a broken
 * appsettings.json does not hide a missing key in the environment file.
 */
import { type ApiGuardConfig, CONFIG_SECTIONS, parseConfigPath } from '../../config/index.js';
import { type DoctorContext } from './context.js';
import { lookup } from './raw-json.js';
import { type DoctorCheck } from './types.js';

const EXAMPLE = '"Doctor": { "RequiredKeys": [ "ConnectionStrings:Issuetrak-Databse", "SessionSigningKey" ] }';

/** Set and non-empty: a non-blank string, any number or boolean, a non-empty section or list. */
function isSet(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() !== '';
  if (typeof value === 'number' || typeof value === 'boolean') return true;
  if (Array.isArray(value)) return value.length > 0;
  return value !== null && typeof value === 'object' && Object.keys(value).length > 0;
}

/** The merged value at `segments` in a loaded config: our sections by property, the host's by section(). */
function configValue(config: ApiGuardConfig, segments: readonly string[]): unknown {
  const [first = '', ...rest] = segments;
  const ours = CONFIG_SECTIONS.find((name) => name.toLowerCase() === first.toLowerCase());
  const top = ours === undefined ? config.section(first) : (config as unknown as Record<string, unknown>)[ours];
  return lookup(top, rest);
}

/** Doctor.RequiredKeys from the config, or as written in the files and variables when it did not load. */
function requiredKeys(context: DoctorContext): readonly string[] {
  if (context.config) return context.config.Doctor.RequiredKeys;
  const raw = context.setting(['Doctor', 'RequiredKeys']);
  const listed = Array.isArray(raw) ? raw : [];
  // Variables set list items one by one (Doctor__RequiredKeys__0); a file's list is the fallback.
  const fromEnv = Object.entries(context.env)
    .filter(([name]) => /^doctor__requiredkeys__\d+$/i.test(name))
    .sort(([a], [b]) => Number(a.split('__')[2]) - Number(b.split('__')[2]))
    .map(([, value]) => value);
  return [...(fromEnv.length > 0 ? fromEnv : listed)].filter((v): v is string => typeof v === 'string' && v.trim() !== '');
}

function jsonSnippet(segments: readonly string[]): string {
  return segments.reduceRight<string>((inner, key) => `{ ${JSON.stringify(key)}: ${inner} }`, '"…"').replace(/^\{ (.*) \}$/, '$1');
}

export function checkRequiredKeys(context: DoctorContext): DoctorCheck {
  const base = { id: 'required-keys', title: 'required keys' } as const;
  const required = requiredKeys(context);
  if (required.length === 0) {
    return {
      ...base,
      status: 'info',
      detail: 'none listed in Doctor.RequiredKeys, so none checked',
      fix: `to have doctor check the keys your app needs, list them: ${EXAMPLE}`,
    };
  }
  const basis = context.config ? '' : ' (read from the files as they are; the configuration did not load)';
  const missing: { path: string; segments: readonly string[] }[] = [];
  for (const path of required) {
    const segments = parseConfigPath(path) ?? [path];
    const value = context.config ? configValue(context.config, segments) : context.setting(segments);
    if (!isSet(value)) missing.push({ path, segments });
  }
  if (missing.length > 0) {
    const envFile = context.envFile?.name ?? `appsettings.${context.environment.name}.json`;
    const dotted = missing.some(({ path }) => path.includes('.') && !path.includes(':'));
    return {
      ...base,
      status: 'fail',
      detail: `missing or empty: ${missing.map((m) => m.path).join(', ')}${basis}`,
      fix:
        `add to ${envFile} (or appsettings.json): ${missing.map((m) => jsonSnippet(m.segments)).join(', ')}; ` +
        `or set the environment variable${missing.length > 1 ? 's' : ''} ${missing.map((m) => m.segments.join('__')).join(', ')}` +
        (dotted ? '. Doctor.RequiredKeys paths use ":" between sections (ConnectionStrings:Issuetrak-Databse), not "."' : ''),
    };
  }
  // Names first would put "SessionSigningKey:" in the line, which the output masker reads as a secret key.
  return { ...base, status: 'ok', detail: `set (values not shown): ${required.join(', ')}${basis}` };
}
