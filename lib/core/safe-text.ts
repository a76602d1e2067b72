/**
 * Decides what request- or error-derived text may reach a client. Paths and methods come from the
 * request line (attacker-chosen), 4xx messages from libraries; both are bounded and cleaned here.
 */
import type { Request } from 'express';
import { requestPathOf } from './request-path.js';

/** Longest request path echoed in a body or log line; the rest becomes `…`. */
export const MAX_ECHOED_PATH = 200;
const MAX_CLIENT_MESSAGE = 300;

/** Cuts `text` to `max` characters (marking the cut) and replaces control characters with U+FFFD. */
export function capText(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '\uFFFD');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * The canonical request path (the one Express routes on; no query, which often carries keys and
 * tokens, and no fragment), capped and cleaned for a body or a log line.
 */
export function requestPath(req: Request): string {
  return capText(requestPathOf(req).path, MAX_ECHOED_PATH) || '/';
}

/** The request method, capped (Node validates it as a token, but a custom method can be long). */
export function requestMethod(req: Request): string {
  return capText(typeof req.method === 'string' ? req.method : 'UNKNOWN', 20);
}

// Absolute POSIX paths with two segments or more, Windows drive paths and stack frames.
const LEAKY = /(?:^|[\s("'=:])\/(?:[\w.@+-]+\/)+[\w.@+-]*|(?:^|[^A-Za-z])[A-Za-z]:\\|\bat\s+\S+\s+\(|\bnode:internal\b/;

/**
 * True when a 4xx error's own message may be shown: a short single line that does not look like it
 * carries a file path or a stack frame.
 */
export function isSafeClientMessage(message: unknown): message is string {
  return (
    typeof message === 'string' &&
    message.trim() !== '' &&
    message.length <= MAX_CLIENT_MESSAGE &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f\u007f]/.test(message) &&
    !LEAKY.test(message)
  );
}
