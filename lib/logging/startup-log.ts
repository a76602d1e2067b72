/**
 * Startup failures (bad config, port in use, store unreachable) written where an operator looks
 * when the app will not start: `<Directory>/stdout/startup-<timestamp>.log` and stderr. It must work
 * when nothing else does, so it uses only node:fs, falls back to built-in defaults, and never throws.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError } from '../config/index.js';
import { redact, secretMasker } from '../core/index.js';

/** Options for {@link startupLog}. */
export type StartupLogOptions = Readonly<{
  /** The `Logging.Directory`; the file goes to its `stdout` subfolder. Defaults to `./logs`. */
  directory?: string;
  /** Values masked in the output (the config's secret values, when it could be read). Defaults to none. */
  secrets?: readonly string[];
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

function describe(error: unknown, mask: (text: string) => string, secrets: readonly string[], seen = new Set<unknown>()): string {
  // A cause chain can loop (a.cause = b, b.cause = a); following it would overflow the stack.
  if (seen.has(error)) return '[cause already shown above]';
  seen.add(error);
  if (error instanceof Error) {
    const extra: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(error)) extra[key] = value;
    const fields = Object.keys(extra).length > 0 ? '\n' + inspect(redact(extra, secrets), { depth: 4, breakLength: 120 }) : '';
    const cause = error.cause === undefined ? '' : '\nCaused by: ' + describe(error.cause, mask, secrets, seen);
    return mask(error.stack ?? `${error.name}: ${error.message}`) + fields + cause;
  }
  return mask(typeof error === 'string' ? error : inspect(redact(error, secrets), { depth: 4 }));
}

/** `message` of an error and of each cause, one per line, without stacks. */
function summary(error: unknown, seen = new Set<unknown>()): string {
  if (seen.has(error) || seen.size >= 5) return '';
  seen.add(error);
  if (!(error instanceof Error)) return typeof error === 'string' ? error : inspect(error, { depth: 1 });
  // A ConfigError's message is the whole story (file, line, what to do); its cause is an fs detail.
  if (error instanceof ConfigError) return error.message;
  const code = (error as { code?: unknown }).code;
  const first = error instanceof ConfigError || typeof code !== 'string' || error.message.includes(code) ? error.message : `${error.message} (${code})`;
  const cause = error.cause === undefined ? '' : summary(error.cause, seen);
  return cause === '' ? first : `${first}\n  caused by: ${cause}`;
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
    const secrets = options.secrets ?? [];
    const mask = secretMasker(secrets);
    const now = new Date();
    const header = `${now.toISOString()} crit: Startup[pid ${process.pid}] express-api-guard could not start`;
    const text = `${header}\n${describe(error, mask, secrets)}\n`;
    // The cause comes first and once: stderr gets the message (and each cause's) on the first lines,
    // which for a ConfigError is the whole story (file, line, what to do); the stack and error fields
    // go to the file for a bug report, and to stderr too with `verbose`.
    const verbose = options.verbose ?? process.env.EXPRESS_API_GUARD_VERBOSE === '1';
    const shown = verbose ? text : `${header}: ${mask(summary(error))}\n`;
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
