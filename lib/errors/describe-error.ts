/**
 * How an error is written to the log (full) and, in Development with IncludeDetails, to the body.
 * Only name, message, code, stack and cause are copied: body-parser errors carry the raw request
 * body and HTTP client errors carry request headers, neither of which may reach a log.
 */
import type { ExceptionDetails } from '../core/index.js';

/** A log-safe plain object for `err`. */
export interface LoggedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly stack?: string;
  readonly cause?: LoggedError;
}

function asText(value: unknown): string {
  try {
    return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Serializes an error (or any thrown value) for a log line, following `cause` three levels deep. */
export function loggedError(err: unknown, depth = 3): LoggedError {
  if (!(err instanceof Error)) {
    return { name: err === null ? 'null' : typeof err, message: asText(err).slice(0, 2000) };
  }
  const code = (err as { code?: unknown }).code;
  const cause = (err as { cause?: unknown }).cause;
  return {
    name: err.name,
    message: err.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    ...(err.stack !== undefined ? { stack: err.stack } : {}),
    ...(cause !== undefined && depth > 1 ? { cause: loggedError(cause, depth - 1) } : {}),
  };
}

/** The Development-only body details: name, message and up to 20 stack frames. */
export function exceptionDetails(err: unknown): ExceptionDetails {
  const logged = loggedError(err, 1);
  const frames = (logged.stack ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('at '))
    .slice(0, 20);
  return { name: logged.name, message: logged.message, stack: frames };
}
