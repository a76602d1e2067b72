/**
 * Endpoint matchers: a parsed endpoint (lib/core's grammar) compiled once to a method set and a
 * glob matcher. The same matcher serves rules and the endpoint whitelist.
 */
import type { Endpoint } from '../core/index.js';

export interface EndpointPattern {
  /** The text as configured. */
  readonly source: string;
  /** Upper-case methods, or null for every method. */
  readonly methods: ReadonlySet<string> | null;
  /** Null when the glob is `*` (every path), which lets matching ignore the path entirely. */
  readonly path: GlobMatcher | null;
}

export function compileEndpoint(endpoint: Endpoint): EndpointPattern {
  return {
    source: endpoint.source,
    methods: endpoint.methods === null ? null : new Set(endpoint.methods),
    path: endpoint.glob === null ? null : new GlobMatcher(normalizePath(endpoint.glob)),
  };
}

/**
 * A case-insensitive glob (`*` any run, `?` one character) matched without a RegExp: the path is
 * the client's, and `.*` runs backtrack polynomially on a long path (seconds for three wildcards and
 * a 4 KB path), while RegExp `.` would not match a percent-decoded line break, letting `%0A` slip
 * past a rule. This is the classic greedy matcher with one backtrack point: O(path × glob) at worst.
 */
export class GlobMatcher {
  private readonly glob: string;

  constructor(glob: string) {
    this.glob = glob.toLowerCase();
  }

  test(path: string): boolean {
    const glob = this.glob;
    const text = path.toLowerCase();
    let g = 0;
    let t = 0;
    let star = -1;
    let resume = 0;
    while (t < text.length) {
      const c = glob.charCodeAt(g);
      if (g < glob.length && (c === 63 /* ? */ || c === text.charCodeAt(t)) && c !== 42) {
        g++;
        t++;
      } else if (c === 42 /* * */) {
        star = g++;
        resume = t;
      } else if (star !== -1) {
        g = star + 1;
        t = ++resume;
      } else {
        return false;
      }
    }
    while (glob.charCodeAt(g) === 42) g++;
    return g === glob.length;
  }
}

/** Drops one trailing slash so `/a/` and `/a` match alike, as Express's non-strict routing does. */
export function normalizePath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** The request path without the query string, percent-decoded when that is possible. */
export function requestPath(url: string): string {
  const query = url.indexOf('?');
  let path = query === -1 ? url : url.slice(0, query);
  if (path.includes('%')) {
    try {
      path = decodeURIComponent(path);
    } catch {
      // A malformed escape cannot name a configured path, so the raw text is as good as any.
    }
  }
  return normalizePath(path);
}

export function endpointMatches(pattern: EndpointPattern, method: string, path: string): boolean {
  // Express answers HEAD with the GET handler, so a GET rule must count HEAD too or it can be bypassed.
  if (pattern.methods !== null && !pattern.methods.has(method) && !(method === 'HEAD' && pattern.methods.has('GET'))) return false;
  return pattern.path === null || pattern.path.test(path);
}
