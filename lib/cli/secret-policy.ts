/**
 * The secret policy for everything the CLI prints: the loaded config's own policy values plus every
 * secret value in the files and variables as they are, so a file that does not load (the case
 * doctor exists for) still has its secrets masked, and so does `trace` output of old log lines.
 */
import {
  type ApiGuardConfig,
  type ConfigFileRead,
  type ConfigFolder,
  configFromFolder,
  findSecretValues,
  readConfigFolder,
} from '../config/index.js';
import { createSecretPolicy, isSecretSection, isSensitiveKey, type SecretPolicy } from '../core/index.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Secret values set by environment variables, config-shaped (`Section__Key`) or not. */
function secretsFromEnv(env: Env): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    const segments = name.split('__');
    const first = segments[0] ?? '';
    const last = segments[segments.length - 1] ?? '';
    // Only config-shaped names (`Section__Key`) and SessionSigningKey are config secrets: a plain
    // variable like PWD is the shell's working directory, not a password.
    const secret = segments.length > 1 ? isSecretSection(first) || isSensitiveKey(last) : /^sessionsigningkey$/i.test(name);
    if (secret) out.push(value);
    out.push(...findSecretValues(value).map((s) => s.value));
  }
  return out;
}

/** The policy for what the CLI prints about a config folder, whether or not the config loads. */
export function cliSecretPolicy(files: readonly (ConfigFileRead | undefined)[], env: Env, config: ApiGuardConfig | undefined): SecretPolicy {
  const values: string[] = [];
  for (const file of files) if (file?.value !== undefined) values.push(...findSecretValues(file.value).map((s) => s.value));
  values.push(...secretsFromEnv(env));
  if (config) values.push(...config.secretValues());
  return createSecretPolicy(values);
}

/**
 * Reads a config folder for a command that only needs its settings and secrets (trace, limits).
 * Never throws: a config that does not load comes back as `error`.
 */
export function readConfigForCli(dir: string, env: Env, environment: string | undefined): { config?: ApiGuardConfig; error?: unknown; policy: SecretPolicy } {
  let folder: ConfigFolder | undefined;
  let config: ApiGuardConfig | undefined;
  let error: unknown;
  try {
    folder = readConfigFolder({ dir, env, ...(environment ? { environment } : {}) });
    config = configFromFolder(folder, { env });
  } catch (caught) {
    config = undefined;
    error = caught;
  }
  return { ...(config ? { config } : { error }), policy: cliSecretPolicy(folder?.files ?? [], env, config) };
}
