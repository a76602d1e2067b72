/**
 * HTTP header names: an RFC 9110 token. Bounded at 64 characters, which no real header needs and
 * which keeps a configured name from becoming a large per-response cost.
 */
import { ok, problem, type Parsed } from './parsed.js';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
export const MAX_HEADER_NAME_LENGTH = 64;
export const HEADER_NAME_HINT = `use 1 to ${MAX_HEADER_NAME_LENGTH} letters, digits and "-" (e.g. "X-Trace-Id")`;

/** True for a name that can be sent as is: a token of 1 to 64 characters, no whitespace around it. */
export function isHeaderName(text: string): boolean {
  return text.length > 0 && text.length <= MAX_HEADER_NAME_LENGTH && TOKEN.test(text);
}

/** The name as written (trimmed). */
export function parseHeaderName(text: unknown): Parsed<string> {
  if (typeof text !== 'string') return problem(`is not a header name; ${HEADER_NAME_HINT}`);
  const name = text.trim();
  if (!isHeaderName(name)) return problem(`is not a header name; ${HEADER_NAME_HINT}`);
  return ok(name);
}
