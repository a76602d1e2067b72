/**
 * Startup failures (bad config, port in use, store unreachable) written where an operator looks
 * when the app will not start: `<Directory>/stdout/startup-<timestamp>.log` and stderr. It must work
 * when nothing else does, so it uses only node:fs, falls back to built-in defaults, and never throws.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inspect } from 'node:util';
import { redact, secretMasker } from '../core/index.js';

/** Options for {@link startupLog}. */
export type StartupLogOptions = Readonly<{
  /** The `Logging.Directory`; the file goes to its `stdout` subfolder. Defaults to `./logs`. */
  directory?: string;
  /** Values masked in the output (the config's secret values, when it could be read). Defaults to none. */
  secrets?: readonly string[];
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

function fileStamp(date: Date): string {
  // ISO 8601 without the characters Windows forbids in file names.
  return date.toISOString().replace(/:/g, '-');
}

function tryWrite(dir: string, name: string, text: string): string | undefined {
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
    const text =
      `${now.toISOString()} crit: Startup[pid ${process.pid}] express-api-guard could not start\n` +
      describe(error, mask, secrets) +
      '\n';
    const dir = join(resolve(options.directory ?? 'logs'), 'stdout');
    const name = `startup-${fileStamp(now)}.log`;
    let path = tryWrite(dir, name, text);
    let note = '';
    if (path === undefined) {
      path = tryWrite(join(tmpdir(), 'express-api-guard', 'stdout'), name, text);
      note = path === undefined ? `(could not write ${join(dir, name)} either)\n` : `(${dir} is not writable; written to ${path} instead)\n`;
    }
    process.stderr.write(text + note);
    return path ?? '';
  } catch {
    return '';
  }
}
