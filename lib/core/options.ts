/**
 * The option kit every middleware factory and store constructor validates with. A misspelt option
 * (`hstMaxAge`, `prefix`) would otherwise be ignored and its default silently used, which for a
 * security or limit setting is worse than failing at startup; so unknown keys throw with a
 * suggestion, known wrong names from other libraries get the equivalent spelled out, and every
 * error carries a stable `code` and a link to the page that documents the option.
 */
import { closest } from './closest.js';
import type { Parsed } from './grammar/parsed.js';
import type { LogSink } from './log-sink.js';
import { toSecretPolicy, type SecretPolicy } from './secret-policy.js';

/**
 * Every option key of `T`, checked by the compiler: a new option cannot be added to an options type
 * and forgotten by the typo trap (express-rate-limit's pattern).
 */
export type KeysEnum<T> = { readonly [P in keyof Required<T>]: true };

/** Where the docs live; codes link to the page of the option's middleware. */
export const DOCS_URL = 'https://github.com/express-api-guard/express-api-guard/blob/main/docs/';

/** An option is unknown, misspelt, of the wrong type or out of range; the message says how to fix it. */
export class OptionsError extends TypeError {
  override readonly name = 'OptionsError';
  /** Stable, e.g. `ERR_RATE_LIMIT_UNKNOWN_OPTION`, `ERR_TRACE_INVALID_OPTION`. */
  readonly code: string;
  /** Where the bad value is, e.g. `rules[1].period`; empty for the options object itself. */
  readonly path: string;
  /** The documentation page for the option. */
  readonly help: string;

  constructor(code: string, path: string, message: string, help: string) {
    super(`${message} (${code}; see ${help})`);
    this.code = code;
    this.path = path;
    this.help = help;
  }
}

/** Explains a known option name of another library, given every option passed. */
export type OptionTrap = (options: Readonly<Record<string, unknown>>) => string;

export interface OptionScope {
  /** What the messages start with, e.g. `rateLimit` or `new RedisStore`. */
  readonly name: string;
  /** Middle part of the codes, e.g. `RATE_LIMIT` → `ERR_RATE_LIMIT_UNKNOWN_OPTION`. */
  readonly code: string;
  /** The docs page, e.g. `rate-limiting.md`. */
  readonly docs: string;
  /** Names users bring from other libraries (express-rate-limit's `windowMs`), with what to write instead. */
  readonly traps?: Readonly<Record<string, OptionTrap>>;
}

function show(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'bigint') return `${value}n`;
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Validation helpers bound to one middleware; each throws {@link OptionsError}. */
export class OptionKit {
  readonly #scope: OptionScope;

  constructor(scope: OptionScope) {
    this.#scope = scope;
  }

  /** Throws `ERR_<SCOPE>_<KIND>` for the value at `path`. */
  fail(kind: string, path: string, message: string): never {
    const where = path === '' ? '' : `${path}: `;
    throw new OptionsError(`ERR_${this.#scope.code}_${kind}`, path, `${this.#scope.name}: ${where}${message}`, DOCS_URL + this.#scope.docs);
  }

  /**
   * The options object (undefined → `{}`), with every key checked against `keys`: a known foreign
   * name throws its trap's advice, anything else "unknown option" with a did-you-mean.
   */
  object<T extends object>(value: T | undefined, keys: KeysEnum<T> | readonly string[], path = ''): Readonly<Record<string, unknown>> {
    if (value === undefined) return {};
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail('INVALID_OPTION', path, `expected an options object, got ${show(value)}.`);
    }
    const known = Array.isArray(keys) ? (keys as readonly string[]) : Object.keys(keys);
    const record = value as Readonly<Record<string, unknown>>;
    for (const key of Object.keys(record)) {
      if (known.includes(key)) continue;
      const where = path === '' ? key : `${path}.${key}`;
      const trap = path === '' && this.#scope.traps !== undefined && Object.hasOwn(this.#scope.traps, key) ? this.#scope.traps[key] : undefined;
      if (trap !== undefined) this.fail('UNKNOWN_OPTION', where, trap(record));
      const guess = closest(key, known);
      this.fail('UNKNOWN_OPTION', where, `unknown option.${guess === undefined ? '' : ` Did you mean "${guess}"?`} Known options: ${known.join(', ')}.`);
    }
    return record;
  }

  boolean(value: unknown, fallback: boolean, path: string): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') this.fail('INVALID_OPTION', path, `expected true or false, got ${show(value)}.`);
    return value;
  }

  integer(value: unknown, fallback: number, min: number, max: number, path: string): number {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail('INVALID_OPTION', path, `expected a whole number from ${min} to ${max}, got ${show(value)}.`);
    }
    return value;
  }

  /** One of `allowed`, matched exactly; a near miss gets a suggestion. */
  oneOf<const T extends string>(value: unknown, fallback: T, allowed: readonly T[], path: string): T {
    if (value === undefined) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    const guess = typeof value === 'string' ? closest(value, allowed) : undefined;
    const list = allowed.map((a) => `"${a}"`).join(', ');
    return this.fail('INVALID_OPTION', path, `expected one of ${list}, got ${show(value)}.${guess === undefined ? '' : ` Did you mean "${guess}"?`}`);
  }

  string(value: unknown, fallback: string, path: string): string {
    if (value === undefined) return fallback;
    if (typeof value !== 'string') this.fail('INVALID_OPTION', path, `expected a string, got ${show(value)}.`);
    return value;
  }

  func<F extends (...args: never[]) => unknown>(value: unknown, path: string): F | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'function') this.fail('INVALID_OPTION', path, `expected a function, got ${show(value)}.`);
    return value as F;
  }

  list(value: unknown, path: string): readonly unknown[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) this.fail('INVALID_OPTION', path, `expected an array, got ${show(value)}.`);
    return value;
  }

  /** Secrets given as a SecretPolicy (`config.secretPolicy()`) or a list of values (`config.secretValues()`). */
  secrets(value: unknown, path: string): SecretPolicy {
    if (value === undefined || Array.isArray(value)) return toSecretPolicy(value as readonly unknown[] | undefined);
    const candidate = value as Partial<SecretPolicy> | null;
    if (typeof candidate?.mask !== 'function' || typeof candidate.redact !== 'function' || typeof candidate.isSecretKey !== 'function') {
      this.fail('INVALID_OPTION', path, `expected config.secretPolicy() or an array of secret values, got ${show(value)}.`);
    }
    return candidate as SecretPolicy;
  }

  /** A logger with debug/info/warn/error (a LogSink, or `console`). */
  sink(value: unknown, fallback: LogSink, path: string): LogSink {
    if (value === undefined) return fallback;
    const candidate = value as Partial<LogSink> | null;
    for (const method of ['debug', 'info', 'warn', 'error'] as const) {
      if (typeof candidate?.[method] !== 'function') {
        this.fail('INVALID_OPTION', path, 'expected a logger with debug, info, warn and error methods (a LogSink, e.g. console or createLogger()).');
      }
    }
    return candidate as LogSink;
  }

  /** The value a grammar function parsed, or its problem with the value in front. */
  parsed<T>(value: unknown, result: Parsed<T>, kind: string, path: string): T {
    if (!result.ok) this.fail(kind, path, `${show(value)} ${result.problem}.`);
    return result.value;
  }
}
