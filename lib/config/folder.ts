/**
 * The config folder, read once: whether it is usable, which environment is in effect, and
 * appsettings.json and appsettings.{Environment}.json each read and parsed a single time. The loader
 * merges this result; doctor reports on the same result, so the two can never disagree about what a
 * file said (they read each file two or three times before, and a save in between split them).
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findEnvironmentFile, findFileIgnoringCase, resolveEnvironment } from './environment.js';
import { ConfigError } from './errors.js';
import { type ConfigFileRead, readConfigFile } from './json-file.js';
import type { EnvironmentSource } from './types.js';

/** Why the folder cannot be used. */
export interface ConfigFolderProblem {
  readonly reason: 'missing' | 'not-a-folder' | 'unreadable';
  readonly error: ConfigError;
}

/** What {@link readConfigFolder} found. */
export interface ConfigFolder {
  /** Absolute path of the folder. */
  readonly dir: string;
  /** Set when the folder does not exist, is a file, or cannot be listed; `files` is then empty. */
  readonly problem?: ConfigFolderProblem;
  readonly environment: { readonly name: string; readonly source: EnvironmentSource };
  /** appsettings.json, then the environment file (one entry when both names are the same file). */
  readonly files: readonly (ConfigFileRead & { readonly role: 'base' | 'environment' })[];
}

/** Options for {@link readConfigFolder}. */
export type ReadConfigFolderOptions = Readonly<{
  /** The config folder. */
  dir: string;
  /** Environment name. Defaults to ASPNETCORE_ENVIRONMENT, DOTNET_ENVIRONMENT, NODE_ENV, then `Production`. */
  environment?: string;
  /** Variables read for the environment name. Defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}>;

function folderProblem(dir: string): ConfigFolderProblem | undefined {
  const hint = 'pass the folder that holds appsettings.json';
  try {
    if (!statSync(dir).isDirectory()) {
      const error = new ConfigError(`config directory ${dir} is a file, not a directory; ${hint}`, { code: 'CONFIG_DIR_MISSING' });
      return { reason: 'not-a-folder', error };
    }
    readdirSync(dir);
    return undefined;
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      const error = new ConfigError(`config directory ${dir} does not exist; create it or ${hint}`, { code: 'CONFIG_DIR_MISSING', cause });
      return { reason: 'missing', error };
    }
    const error = new ConfigError(`config directory ${dir} cannot be read (${code ?? 'unknown error'}); check the app user's permissions`, {
      code: 'CONFIG_DIR_UNREADABLE',
      cause,
    });
    return { reason: 'unreadable', error };
  }
}

/** Reads the folder and its two files once. Never throws for a problem a user can cause. */
export function readConfigFolder(options: ReadConfigFolderOptions): ConfigFolder {
  const dir = resolve(options.dir);
  const environment = resolveEnvironment({
    env: options.env ?? process.env,
    ...(options.environment === undefined ? {} : { environment: options.environment }),
  });
  const problem = folderProblem(dir);
  if (problem) return { dir, problem, environment, files: [] };
  const basePath = findFileIgnoringCase(dir, 'appsettings.json') ?? join(dir, 'appsettings.json');
  const envPath = findEnvironmentFile(dir, environment.name) ?? join(dir, `appsettings.${environment.name}.json`);
  const files: ConfigFolder['files'][number][] = [{ role: 'base', ...readConfigFile(basePath) }];
  if (envPath !== basePath) files.push({ role: 'environment', ...readConfigFile(envPath) });
  return { dir, environment, files };
}
