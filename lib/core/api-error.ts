/**
 * The error type every guard middleware hands to `next(err)`, and the one host handlers throw to
 * choose the status, envelope `type` and message a client sees. The error mapper renders it.
 */

import { DEFAULT_MESSAGE } from './grammar/quota-message.js';

/** Envelope `type` values used by the guard itself; host code may use any other string. */
export type ApiErrorType =
  | 'Validation'
  | 'Authentication'
  | 'Authorization'
  | 'NotFound'
  | 'RateLimit'
  | 'Security'
  | 'Unavailable'
  | 'Processing'
  | (string & {});

/** Options for {@link ApiError}. */
export interface ApiErrorOptions {
  /** HTTP status, 400–599. Defaults to 500. */
  readonly status?: number;
  /** Envelope `type`. Defaults to `Validation` for 4xx and `Processing` for 5xx. */
  readonly type?: ApiErrorType;
  /** Extra response headers (for example `Retry-After`). Defaults to none. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The underlying error, logged but never sent to the client. */
  readonly cause?: unknown;
}

/** An error whose status, type and message are safe to show to the client. */
export class ApiError extends Error {
  override readonly name: string = 'ApiError';
  readonly status: number;
  /** Same as `status`, for code that reads http-errors' `statusCode`. */
  readonly statusCode: number;
  readonly type: ApiErrorType;
  readonly headers: Readonly<Record<string, string>>;
  /** Always true: the message was written for the client (http-errors convention). */
  readonly expose = true;

  constructor(message: string, options: ApiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const status = options.status ?? 500;
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`ApiError status must be an integer from 400 to 599, got ${String(status)}`);
    }
    this.status = status;
    this.statusCode = status;
    this.type = options.type ?? (status < 500 ? 'Validation' : 'Processing');
    this.headers = Object.freeze({ ...(options.headers ?? {}) });
  }
}

/** Facts about the rule that rejected a request, carried by {@link RateLimitError}. */
export interface RateLimitErrorDetails {
  /** Rule name, e.g. `burst`. */
  readonly rule: string;
  /** The rule's limit, e.g. 20. */
  readonly limit: number;
  /** The rule's period as configured, e.g. `1s`. */
  readonly period: string;
  /** Whole seconds until the blocking window resets; at least 1. */
  readonly retryAfter: number;
  /** Status to answer with (the config's `HttpStatusCode`). Defaults to 429. */
  readonly status?: number;
  /**
   * The message the client reads (the config's `QuotaExceededMessage`, formatted). Defaults to
   * `API calls quota exceeded! maximum admitted <limit> per <period>.`
   */
  readonly message?: string;
}

/** Thrown (via `next`) by the rate limiter when a request is rejected. */
export class RateLimitError extends ApiError {
  override readonly name: string = 'RateLimitError';
  readonly rule: string;
  readonly limit: number;
  readonly period: string;
  readonly retryAfter: number;

  constructor(details: RateLimitErrorDetails) {
    const retryAfter = Math.max(1, Math.ceil(details.retryAfter));
    super(details.message ?? DEFAULT_MESSAGE.format({ ...details, retryAfter }), {
      status: details.status ?? 429,
      type: 'RateLimit',
      headers: { 'Retry-After': String(retryAfter) },
    });
    this.rule = details.rule;
    this.limit = details.limit;
    this.period = details.period;
    this.retryAfter = retryAfter;
  }
}

/**
 * Builds an error without capturing a stack trace. For the guard's own refusals (429, 403, 503):
 * they are expected answers, not faults, their stack would only name the middleware, capturing it
 * is the largest single cost of a refusal, and Express's own handler would print it in Development.
 * The `stack` keeps its "Name: message" line.
 */
export function withoutStack<T extends Error>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
