/**
 * Which environment is in effect and which file belongs to it. The file is matched
 * case-insensitively because the original runs on Windows, where `Release` finds
 * `appsettings.release.json`; operators copy those files to Linux unchanged.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentSource } from './types.js';

export interface ResolveEnvironmentOptions {
  /** Wins over every variable when given and not blank. */
  readonly environment?: string;
  /** Variables to read. Defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const VARIABLES = ['ASPNETCORE_ENVIRONMENT', 'DOTNET_ENVIRONMENT', 'NODE_ENV'] as const;

/** Option → ASPNETCORE_ENVIRONMENT → DOTNET_ENVIRONMENT → NODE_ENV → `Production`. */
export function resolveEnvironment(options: ResolveEnvironmentOptions = {}): {
  name: string;
  source: EnvironmentSource;
} {
  if (options.environment !== undefined && options.environment.trim() !== '') {
    return { name: options.environment.trim(), source: 'option' };
  }
  const env = options.env ?? process.env;
  for (const variable of VARIABLES) {
    const value = env[variable];
    if (value !== undefined && value.trim() !== '') return { name: value.trim(), source: variable };
  }
  return { name: 'Production', source: 'default' };
}

/** True when `environment` names Development, in any case (ASPNETCORE_ENVIRONMENT=development is common). */
export function isDevelopment(environment: string): boolean {
  return environment.trim().toLowerCase() === 'development';
}

/** Files in `dir` named `name` ignoring case; an exact-case match first. */
export function findFileIgnoringCase(dir: string, name: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  if (names.includes(name)) return join(dir, name);
  const lower = name.toLowerCase();
  const match = names.sort().find((candidate) => candidate.toLowerCase() === lower);
  return match === undefined ? undefined : join(dir, match);
}

/** `appsettings.{name}.json` in `dir`, matched case-insensitively; undefined when absent. */
export function findEnvironmentFile(dir: string, name: string): string | undefined {
  return findFileIgnoringCase(dir, `appsettings.${name}.json`);
}
