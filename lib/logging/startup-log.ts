/**
 * Startup failures (bad config, port in use, store unreachable) written where an operator looks
 * when the app will not start: `<Directory>/stdout/startup-<timestamp>.log` and stderr. It must work
 * when nothing else does, so it uses only node:fs, falls back to built-in defaults, and never throws.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ConfigError } from '../config/index.js';
import { KEY_RULES_ONLY, serializeError, toSecretPolicy, type SecretPolicy, type SerializedError } from '../core/index.js';

/** Options for {@link startupLog}. */
export type StartupLogOptions = Readonly<{
  /** The `Logging.Directory`; the file goes to its `stdout` subfolder. Defaults to `./logs`. */
  directory?: string;
  /**
   * The config's secret policy (`config.secretPolicy()`) or secret values, when it could be read.
   * Defaults to the key rules alone (`Password=…`, URL passwords).
   */
  secrets?: SecretPolicy | readonly string[];
  /**
   * A folder that must not be created, not even by the fallback: the config folder when it does not
   * exist (creating it would let the next start run on defaults). Defaults to none.
   */
  avoid?: string;
  /**
   * Print the full account (stacks, error fields) on stderr too, not only in the file. Defaults to
   * true when the environment variable `EXPRESS_API_GUARD_VERBOSE` is `1`, else false.
   */
  verbose?: boolean;
}>;

/** The error as text: its stack (or name and message), the allow-listed fields, then each cause. */
function describe(error: SerializedError, indent = ''): string {
  const head = error.stack ?? `${error.name}: ${error.message}`;
  const facts = [
    error.code === undefined ? '' : `code: ${error.code}`,
    error.status === undefined ? '' : `status: ${error.status}`,
    error.type === undefined ? '' : `type: ${error.type}`,
  ].filter((fact) => fact !== '');
  const lines = [head, ...(facts.length > 0 ? [facts.join(', ')] : [])];
  for (const [i, inner] of (error.errors ?? []).entries()) lines.push(`Error ${i + 1} of the aggregate: ${describe(inner, `${indent}  `)}`);
  if (error.errorsOmitted) lines.push(`(${error.errorsOmitted} more errors not shown)`);
  if (error.cause !== undefined) lines.push(`Caused by: ${describe(error.cause, indent)}`);
  if (error.truncated) lines.push('(the cause chain goes deeper; not shown)');
  return lines.join(`\n${indent}`);
}

/** The message of the error and of each cause, one per line, without stacks (what stderr shows). */
function summary(error: SerializedError, original: unknown): string {
  // A ConfigError's message is the whole story (file, line, what to do); its cause is an fs detail.
  if (original instanceof ConfigError) return error.message;
  const lines: string[] = [];
  for (let at: SerializedError | undefined = error; at !== undefined && lines.length < 5; at = at.cause) {
    const code = at.code !== undefined && !at.message.includes(at.code) ? ` (${at.code})` : '';
    lines.push(`${at.message}${code}`);
  }
  return lines.join('\n  caused by: ');
}

function fileStamp(date: Date): string {
  // ISO 8601 without the characters Windows forbids in file names.
  return date.toISOString().replace(/:/g, '-');
}

function inside(dir: string, folder: string): boolean {
  const rel = relative(folder, dir);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function tryWrite(dir: string, name: string, text: string, avoid: string | undefined): string | undefined {
  if (avoid !== undefined && inside(dir, resolve(avoid))) return undefined;
  try {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, name);
    writeFileSync(path, text, { flag: 'a' });
    return path;
  } catch {
    return undefined;
  }
}

/**
 * Writes `error` to the startup log and stderr; returns the file written, or '' when no file could
 * be written (the text still reaches stderr).
 */
export function startupLog(error: unknown, options: StartupLogOptions = {}): string {
  try {
    let policy: SecretPolicy = KEY_RULES_ONLY;
    try {
      policy = toSecretPolicy(options.secrets);
    } catch {
      // A broken secrets option must not cost the startup log: the key rules still apply.
    }
    const now = new Date();
    const header = `${now.toISOString()} crit: Startup[pid ${process.pid}] express-api-guard could not start`;
    const serialized = serializeError(error, { policy, stack: true, depth: 8 });
    const text = `${header}\n${describe(serialized)}\n`;
    // The cause comes first and once: stderr gets the message (and each cause's) on the first lines,
    // which for a ConfigError is the whole story (file, line, what to do); the stack and error fields
    // go to the file for a bug report, and to stderr too with `verbose`.
    const verbose = options.verbose ?? process.env.EXPRESS_API_GUARD_VERBOSE === '1';
    const shown = verbose ? text : `${header}: ${summary(serialized, error)}\n`;
    const dir = join(resolve(options.directory ?? 'logs'), 'stdout');
    const name = `startup-${fileStamp(now)}.log`;
    const fallback = join(tmpdir(), 'express-api-guard', 'stdout');
    let path = tryWrite(dir, name, text, options.avoid);
    let note = '';
    if (path === undefined && fallback !== dir) {
      path = tryWrite(fallback, name, text, options.avoid);
      note = path === undefined ? `(could not write ${join(dir, name)} nor ${fallback})\n` : `(${dir} is not writable; written to ${path} instead)\n`;
    }
    const where = path === undefined || verbose || error instanceof ConfigError ? '' : `(details in ${path})\n`;
    process.stderr.write(shown + (note === '' ? where : note));
    return path ?? '';
  } catch {
    return '';
  }
}
