/**
 * Endpoint patterns: `*` (every request) or `<methods>:<path-glob>`, methods comma-listed or `*`,
 * e.g. `post,put,patch,delete:*` or `get:/api/v2/tickets/*`. Rules and the endpoint whitelist
 * share this grammar; lib/rate-limit compiles a parsed pattern into a matcher.
 */
import { METHODS } from 'node:http';
import { closest } from '../closest.js';
import { ok, problem, type Parsed } from './parsed.js';

/** A parsed endpoint. */
export interface Endpoint {
  /** The text as written, trimmed. */
  readonly source: string;
  /** Upper-case methods, or null for every method. */
  readonly methods: readonly string[] | null;
  /** The path glob as written (`*` any run of characters, `?` one character), or null for every path. */
  readonly glob: string | null;
}

/** Longest glob accepted; a request path longer than any route is still matched, just never by a literal. */
export const MAX_GLOB_LENGTH = 1024;

export const ENDPOINT_HINT =
  'use "*" or "<methods>:<path-glob>" with methods comma-separated or "*" (e.g. "post,put,patch,delete:*" or "get:/api/v2/tickets/*")';

// What Node's HTTP parser accepts as a method is exactly what a route can be written for.
const KNOWN_METHODS: readonly string[] = METHODS;

export function parseEndpoint(text: unknown): Parsed<Endpoint> {
  if (typeof text !== 'string' || text.trim() === '') return problem(`is not an endpoint; ${ENDPOINT_HINT}`);
  const source = text.trim();
  if (source === '*') return ok({ source, methods: null, glob: null });
  const colon = source.indexOf(':');
  if (colon === -1) {
    const hint = source.startsWith('/') ? ` (write "*:${source}" to match every method)` : '';
    return problem(`is not an endpoint: it has no "<methods>:" part${hint}; ${ENDPOINT_HINT}`);
  }
  const methodText = source.slice(0, colon).trim();
  const glob = source.slice(colon + 1).trim();
  let methods: string[] | null = null;
  if (methodText !== '*') {
    methods = [];
    for (const raw of methodText.split(',')) {
      const method = raw.trim().toUpperCase();
      if (!KNOWN_METHODS.includes(method)) {
        const guess = method === '' ? undefined : closest(method, KNOWN_METHODS);
        const what = method === '' ? 'an empty method' : `"${raw.trim()}" is not an HTTP method`;
        return problem(`is not an endpoint: ${what}${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; ${ENDPOINT_HINT}`);
      }
      if (!methods.includes(method)) methods.push(method);
    }
  }
  if (glob === '' || (glob !== '*' && !glob.startsWith('/') && !glob.startsWith('*'))) {
    return problem(`is not an endpoint: the path "${glob}" must be "*" or start with "/"; ${ENDPOINT_HINT}`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f#]/.test(glob)) {
    return problem('is not an endpoint: the path contains a space, a control character or "#", which no request path has after parsing');
  }
  if (glob.length > MAX_GLOB_LENGTH) return problem(`is not an endpoint: the path is longer than ${MAX_GLOB_LENGTH} characters`);
  return ok({ source, methods, glob: glob === '*' ? null : glob });
}
