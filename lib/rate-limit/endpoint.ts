/**
 * Endpoint matchers: a parsed endpoint (lib/core's grammar) compiled once to a method set and a
 * glob matcher, and the two ways a request's path readings (lib/core's canonical request path) meet
 * them. A rule counts a request when its glob matches ANY reading; a whitelist entry exempts it only
 * when its glob matches EVERY reading of a plain path, case and trailing slash exactly as written.
 * Counting a request no route of the rule would reach costs a client a little quota; exempting one
 * that another handler serves is a bypass.
 */
import type { Endpoint, PathReadings } from '../core/index.js';

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
    path: endpoint.glob === null ? null : new GlobMatcher(endpoint.glob),
  };
}

/**
 * A glob (`*` any run, `?` one character) matched without a RegExp: the path is the client's, and
 * `.*` runs backtrack polynomially on a long path (seconds for three wildcards and a 4 KB path),
 * while RegExp `.` would not match a percent-decoded line break, letting `%0A` slip past a rule.
 * This is the classic greedy matcher with one backtrack point: O(path × glob) at worst.
 */
export class GlobMatcher {
  private readonly folded: string;
  private readonly exact: string;

  constructor(glob: string) {
    this.exact = glob;
    this.folded = foldCase(dropTrailingSlash(glob));
  }

  /** As Express's default router compares: ignoring case (as its RegExps do) and one trailing slash. */
  test(path: string): boolean {
    return globMatch(this.folded, foldCase(dropTrailingSlash(path)));
  }

  /** Exactly as written: what a case-sensitive, strict router would compare. */
  testExact(path: string): boolean {
    return globMatch(this.exact, path);
  }
}

function globMatch(glob: string, text: string): boolean {
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

/** Drops one trailing slash so `/a/` and `/a` match alike, as Express's non-strict routing does. */
function dropTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/**
 * Case folding as path-to-regexp's RegExps apply it (flag `i` without `u`, in Express 4 and 5): each
 * UTF-16 unit upper-cased when that gives one unit and does not turn a non-ASCII unit into ASCII.
 * Lower-casing would differ (`µ` and `μ` upper-case alike).
 */
function foldCase(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u007f]*$/.test(text)) return text.toUpperCase();
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text[i] as string;
    const upper = unit.toUpperCase();
    out += upper.length === 1 && !(unit.charCodeAt(0) >= 128 && upper.charCodeAt(0) < 128) ? upper : unit;
  }
  return out;
}

function methodMatches(pattern: EndpointPattern, method: string): boolean {
  // Express answers HEAD with the GET handler, so a GET rule must count HEAD too or it can be bypassed.
  return pattern.methods === null || pattern.methods.has(method) || (method === 'HEAD' && pattern.methods.has('GET'));
}

/** A rule counts the request when its glob matches any reading (all, when they cannot be listed). */
export function ruleCounts(pattern: EndpointPattern, method: string, readings: PathReadings): boolean {
  if (!methodMatches(pattern, method)) return false;
  const glob = pattern.path;
  if (glob === null || readings.paths === null) return true;
  return readings.paths.some((path) => glob.test(path));
}

/** A whitelist entry exempts the request only when the path is plain and its glob matches every reading exactly. */
export function whitelistExempts(pattern: EndpointPattern, method: string, readings: PathReadings): boolean {
  if (!methodMatches(pattern, method)) return false;
  const glob = pattern.path;
  if (glob === null) return true;
  return readings.plain && readings.paths !== null && readings.paths.every((path) => glob.testExact(path));
}
