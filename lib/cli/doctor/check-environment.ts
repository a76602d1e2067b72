/**
 * Check 2: which environment is in effect and why, and whether its appsettings.{env}.json exists and
 * is valid. The file is optional: its absence is information, not a failure. Configuration errors
 * from environment variables land here too: they are part of the environment the app runs in.
 */
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { type DoctorContext, errorIsAboutBase } from './context.js';
import { type DoctorCheck } from './types.js';

function otherEnvironmentFiles(context: DoctorContext): string[] {
  try {
    return readdirSync(context.configDir)
      .filter((name) => /^appsettings\..+\.json$/i.test(name))
      .sort();
  } catch {
    return [];
  }
}

function variablesUsed(context: DoctorContext): string[] {
  const names = new Set<string>();
  for (const source of context.config?.sources ?? []) {
    if (source.kind === 'env') for (const name of source.variables ?? []) names.add(name);
  }
  return [...names];
}

export function checkEnvironment(context: DoctorContext): DoctorCheck {
  const base = { id: 'environment', title: 'environment' } as const;
  const { name, source } = context.environment;
  const from = source === 'option' ? '--environment' : source === 'default' ? 'the default; no ASPNETCORE_ENVIRONMENT set' : source;
  const expected = `appsettings.${name}.json`;
  const intro = `${name} (from ${from})`;
  if (context.dirProblem !== undefined) {
    return { ...base, status: 'fail', detail: `${intro}; the config folder ${context.dirProblem}`, fix: 'pass --config-dir DIR' };
  }
  const file = context.envFile;
  const err = context.configError as (Error & { file?: string; variable?: string }) | undefined;
  const errAboutEnvFile = err !== undefined && file !== undefined && typeof err.file === 'string' && basename(err.file).toLowerCase() === file.name.toLowerCase();

  if (err && !errorIsAboutBase(context) && !errAboutEnvFile) {
    // Neither file: an environment variable (or an unexpected failure) stopped the load.
    return {
      ...base,
      status: 'fail',
      detail: `${intro}; the configuration does not load:\n${err.message}`,
      fix: err.variable ? `correct or unset the environment variable ${err.variable}` : 'correct the setting named above',
    };
  }
  if (!file) {
    const others = otherEnvironmentFiles(context);
    const found = others.length ? ` (found: ${others.join(', ')})` : '';
    return {
      ...base,
      status: 'info',
      detail: `${intro}; no ${expected} in ${context.configDir}${found}; it is optional: appsettings.json and environment variables apply`,
      ...(others.length > 0
        ? {
            fix: `if one of those files is meant for this server, set ASPNETCORE_ENVIRONMENT to its name (e.g. ${others[0]?.replace(/^appsettings\.|\.json$/gi, '')})`,
          }
        : {}),
    };
  }
  const foundAs = file.name === expected ? '' : ` (found as ${file.name})`;
  if (errAboutEnvFile) {
    return { ...base, status: 'fail', detail: `${intro}; ${err.message}`, fix: `correct ${file.name} at the line and column shown` };
  }
  if (file.error) {
    // The loader stopped at appsettings.json; this file's own problem is reported from the same read.
    return { ...base, status: 'fail', detail: `${intro}; ${file.error.message}`, fix: `correct ${file.name} as the message says` };
  }
  const variables = variablesUsed(context);
  const vars = variables.length ? `; overridden by ${variables.length} environment variable(s): ${variables.join(', ')}` : '';
  const state = context.config ? 'is valid' : 'is valid JSON (its values are validated once appsettings.json loads)';
  return { ...base, status: 'ok', detail: `${intro}; ${file.name}${foundAs} ${state}${vars}` };
}
