/**
 * A deliberately small argument parser for the CLI. node:util parseArgs would do most of this, but
 * its messages echo whatever the user typed and it cannot tell "missing value" from "unknown flag"
 * in a way we can turn into exit code 2 with a usage message, so we keep our own.
 */
import { escapeForTerminal } from '../core/index.js';

/** A mistake in how the command was invoked: exit code 2 and the usage text. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'EUSAGE';
}

/** Flags a command accepts: `string` takes a value, `boolean` does not. */
export type FlagSpec = Readonly<Record<string, 'string' | 'boolean'>>;

export interface ParsedArgs {
  readonly flags: Readonly<Record<string, string | boolean>>;
  readonly positionals: readonly string[];
}

function describe(flag: string): string {
  return escapeForTerminal(flag).slice(0, 40);
}

/**
 * Parses `--name value`, `--name=value` and boolean `--name`; everything after `--` is positional.
 * Throws UsageError for an unknown flag, a missing value, a value given to a boolean, or a repeat.
 */
export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const flags: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (arg === '-h') {
      flags.help = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unknown option ${describe(arg)}`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const kind = name === 'help' ? 'boolean' : Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (kind === undefined) throw new UsageError(`unknown option --${describe(name)}`);
    if (Object.hasOwn(flags, name)) throw new UsageError(`option --${name} was given twice`);
    if (kind === 'boolean') {
      if (inline !== undefined) throw new UsageError(`option --${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      // A following flag is not a value: `--logs --json` means the user forgot the directory.
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`option --${name} needs a value`);
      }
      value = next;
      i++;
    }
    if (value === '') throw new UsageError(`option --${name} needs a non-empty value`);
    flags[name] = value;
  }
  return { flags, positionals };
}

/** The string value of a flag, or undefined when it was not given. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** Parses a whole number of milliseconds for flags like `--sql-timeout`. */
export function millisecondsFlag(args: ParsedArgs, name: string, fallback: number): number {
  const text = stringFlag(args, name);
  if (text === undefined) return fallback;
  if (!/^\d{1,7}$/.test(text) || Number(text) < 1) {
    throw new UsageError(`option --${name} must be a whole number of milliseconds between 1 and 9999999`);
  }
  return Number(text);
}
