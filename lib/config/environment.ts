/**
 * Which environment is in effect and which file belongs to it. The file is matched
 * case-insensitively because the original runs on Windows, where `Release` finds
 * `appsettings.release.json`; operators copy those files to Linux unchanged.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export { isDevelopment, resolveEnvironment, type ResolveEnvironmentOptions } from '../core/index.js';

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
