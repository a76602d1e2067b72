/**
 * The error thrown when rate-limit options are wrong. It is thrown at construction (or by
 * `update()`), never while serving a request, so a misconfiguration stops the app at startup.
 */
import { closest } from '../config/closest.js';

/** Machine-readable reasons for {@link RateLimitOptionsError}. */
export type RateLimitOptionsErrorCode =
  | 'ERR_RATE_LIMIT_UNKNOWN_OPTION'
  | 'ERR_RATE_LIMIT_INVALID_OPTION'
  | 'ERR_RATE_LIMIT_RULE'
  | 'ERR_RATE_LIMIT_PERIOD'
  | 'ERR_RATE_LIMIT_ENDPOINT'
  | 'ERR_RATE_LIMIT_IP_WHITELIST'
  | 'ERR_RATE_LIMIT_CLIENT_KEY'
  | 'ERR_RATE_LIMIT_STORE';

/** A rate-limit option is missing, misspelt or out of range; the message says how to fix it. */
export class RateLimitOptionsError extends TypeError {
  override readonly name = 'RateLimitOptionsError';
  readonly code: RateLimitOptionsErrorCode;
  /** Where the bad value is, e.g. `rules[1].period`. */
  readonly path: string;

  constructor(code: RateLimitOptionsErrorCode, path: string, message: string) {
    super(`rateLimit: ${path}: ${message}`);
    this.code = code;
    this.path = path;
  }
}

/** Thrown by stores when the backend cannot answer (not connected, timed out). */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  readonly code = 'ERR_RATE_LIMIT_STORE_UNAVAILABLE';
}

/** ` Did you mean "x"?` when a candidate is close enough, else an empty string. */
export function suggest(word: string, candidates: readonly string[]): string {
  const best = closest(word, candidates);
  return best === undefined ? '' : ` Did you mean "${best}"?`;
}
