/**
 * Everything the checks share, gathered once: the config folder read once (readConfigFolder, the
 * same read the loader merges), the loaded config from that read (or why it did not load), a layered
 * raw lookup for when it did not, and the secret policy every line of output goes through.
 */
import { basename } from 'node:path';
import {
  type ApiGuardConfig,
  type ConfigFileRead,
  type ConfigFolder,
  configFromFolder,
  type EnvironmentSource,
  readConfigFolder,
} from '../../config/index.js';
import { isSecretSection, isSensitiveKey } from '../../core/index.js';
import { cliSecretPolicy } from '../secret-policy.js';
import { lookup } from './raw-json.js';
import { type DoctorOptions } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;

export const BASE_FILE = 'appsettings.json';

export interface DoctorContext {
  readonly options: DoctorOptions;
  readonly configDir: string;
  /** Why the folder is unusable, when it is: `does not exist`, `is not a folder`, `cannot be read`. */
  readonly dirProblem?: string;
  readonly env: Env;
  readonly environment: { readonly name: string; readonly source: EnvironmentSource };
  /** The folder as read, once, for the loader and every check. */
  readonly folder: ConfigFolder;
  /** appsettings.json, undefined when absent. */
  readonly baseFile?: ConfigFileRead;
  /** The environment file, undefined when absent. */
  readonly envFile?: ConfigFileRead;
  readonly config?: ApiGuardConfig;
  /** Why loadConfig failed (a ConfigError, normally). */
  readonly configError?: Error;
  /** A setting by path, highest layer first (variables, environment file, appsettings.json), ignoring case. */
  setting(segments: readonly string[]): unknown;
  /** Masks every known secret, any `Password=`, and values after secret keys in shown config lines. */
  mask(text: string): string;
  /** Masks known secret values and `Password=` only (for doctor's own advice, which quotes key names). */
  maskValues(text: string): string;
}

function envSetting(env: Env, segments: readonly string[]): string | undefined {
  const wanted = segments.join('__').toLowerCase();
  const name = Object.keys(env).find((k) => k.toLowerCase() === wanted);
  return name === undefined ? undefined : env[name];
}

/** Names of keys whose values are secret: children of the secret sections, in any file. */
function collectSecretKeys(value: unknown, out: Set<string>): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (isSecretSection(key) && child !== null && typeof child === 'object') {
      for (const name of Object.keys(child)) out.add(name.toLowerCase());
    }
  }
}

// `"Key": ` (quotes optional, as in a broken file) anywhere in a line.
const KEY_COLON = /(["']?)([A-Za-z][\w.-]*)\1\s*:\s*/g;
const ALWAYS_SECRET_KEY = /^(issuetrak-datab[a-z]*se|keyforencrypter-\d+|sessionsigningkey)$/i;

/**
 * Masks the value in a config line shown in an error excerpt. A syntax error can sit on the very
 * line holding a secret, and then the parser cannot tell us the value to mask, so we go by the key:
 * everything after the first secret key's colon is hidden.
 */
function maskKeyValueLine(line: string, secretKeys: ReadonlySet<string>): string {
  for (const match of line.matchAll(KEY_COLON)) {
    const key = match[2] as string;
    if (isSensitiveKey(key) || secretKeys.has(key.toLowerCase()) || ALWAYS_SECRET_KEY.test(key)) {
      const end = (match.index ?? 0) + match[0].length;
      return end < line.length ? `${line.slice(0, end)}***` : line;
    }
  }
  return line;
}

const DIR_PROBLEMS = { missing: 'does not exist', 'not-a-folder': 'is not a folder', unreadable: 'cannot be read' } as const;

/** Reads the folder and config once for all checks; never throws for a problem a user can cause. */
export function createDoctorContext(options: DoctorOptions): DoctorContext {
  const env = options.env ?? process.env;
  const folder = readConfigFolder({ dir: options.configDir ?? '.', env, ...(options.environment ? { environment: options.environment } : {}) });
  const configDir = folder.dir;
  const dirProblem = folder.problem ? DIR_PROBLEMS[folder.problem.reason] : undefined;
  const environment = folder.environment;
  const found = (role: 'base' | 'environment'): ConfigFileRead | undefined => folder.files.find((f) => f.role === role && f.found);
  const baseFile = found('base');
  const envFile = found('environment');

  let config: ApiGuardConfig | undefined;
  let configError: Error | undefined;
  if (dirProblem === undefined) {
    try {
      config = configFromFolder(folder, { env });
    } catch (err) {
      configError = err instanceof Error ? err : new Error(String(err));
    }
  }

  const policy = cliSecretPolicy([baseFile, envFile], env, config);
  const secretKeys = new Set<string>();
  collectSecretKeys(baseFile?.value, secretKeys);
  collectSecretKeys(envFile?.value, secretKeys);
  const maskLine = (line: string): string => maskKeyValueLine(policy.mask(line), secretKeys);

  return {
    options,
    configDir,
    ...(dirProblem === undefined ? {} : { dirProblem }),
    env,
    environment,
    folder,
    ...(baseFile ? { baseFile } : {}),
    ...(envFile ? { envFile } : {}),
    ...(config ? { config } : {}),
    ...(configError ? { configError } : {}),
    setting(segments) {
      return envSetting(env, segments) ?? lookup(envFile?.value, segments) ?? lookup(baseFile?.value, segments);
    },
    mask: (text) => text.split('\n').map(maskLine).join('\n'),
    maskValues: policy.mask,
  };
}

/** True when the load error is about appsettings.json itself (or the folder), not a higher layer. */
export function errorIsAboutBase(context: DoctorContext): boolean {
  const err = context.configError as (Error & { file?: string; code?: string }) | undefined;
  if (!err) return false;
  if (typeof err.code === 'string' && err.code.startsWith('CONFIG_DIR')) return true;
  return typeof err.file === 'string' && basename(err.file).toLowerCase() === BASE_FILE;
}
