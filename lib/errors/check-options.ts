/**
 * Eager option validation shared by the errors and https middleware. A misspelt option (`hstMaxAge`)
 * would otherwise be ignored and the default silently used, which for a security setting is worse
 * than failing at startup, so unknown keys throw with a suggestion.
 */
import { closest } from '../config/closest.js';

/** Thrown at construction when a middleware is given an option it does not understand. */
export class MiddlewareOptionsError extends TypeError {
  override readonly name: string = 'MiddlewareOptionsError';
  /** Stable code for programmatic checks. */
  readonly code: string;

  constructor(message: string, code = 'ERR_API_GUARD_OPTIONS') {
    super(message);
    this.code = code;
  }
}

/** Throws {@link MiddlewareOptionsError} when `options` is not a plain object or has a key outside `known`. */
export function checkOptionKeys(middleware: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new MiddlewareOptionsError(`${middleware}(options): options must be an object, got ${options === null ? 'null' : typeof options}.`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const best = closest(key, known);
    const hint = best !== undefined ? ` Did you mean "${best}"?` : '';
    throw new MiddlewareOptionsError(
      `${middleware}(options): unknown option "${key}".${hint} Known options: ${known.join(', ')}.`,
      'ERR_API_GUARD_UNKNOWN_OPTION',
    );
  }
}

/** Throws unless `value` is undefined or a boolean. */
export function checkBoolean(middleware: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new MiddlewareOptionsError(`${middleware}(options): "${name}" must be true or false, got ${JSON.stringify(value)}.`);
  }
}
