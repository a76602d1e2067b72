/**
 * The error thrown when rate-limit options are wrong. It is thrown at construction (or by
 * `update()`), never while serving a request, so a misconfiguration stops the app at startup.
 */

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

/** Levenshtein distance, for "did you mean" hints on misspelt option names. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      const substitution = previous + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1);
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, substitution);
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

/** ` Did you mean "x"?` when a candidate is close enough, else an empty string. */
export function suggest(word: string, candidates: readonly string[]): string {
  let best = '';
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? ` Did you mean "${best}"?` : '';
}
