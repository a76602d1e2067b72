/**
 * The canonical request path: the path Express's router matches, read once per request and shared
 * by endpoint rules, the endpoint whitelist, the request log and error messages.
 *
 * Both Express 4 and Express 5 (its `router` package) route on `parseurl(req).pathname`: the origin
 * path of an absolute-form target, without query or fragment, percent-escapes kept as sent. We read
 * it with the same parseurl, so every quirk of Node's legacy `url.parse` that Express inherits
 * (fragments, `\` → `/` before a `#`, userinfo after `//`) is inherited here too.
 *
 * Below a mounted router the routers do not re-read that path: they cut the mount off the raw target
 * and parse what is left again. That second reading agrees with the first only for *regular*
 * targets (see {@link RequestPath.regular}); for the rest we do not guess.
 */
import { posix } from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import parseurl from 'parseurl';

/** The path of one request as Express's router reads it. */
export interface RequestPath {
  /**
   * The pathname the router matches: `/api/v2/Issues/Create` for `POST http://host/api/v2/Issues/Create#x`.
   * Percent-escapes are kept as sent (the router matches them undecoded). When parseurl finds no path
   * (Express then routes nothing), the target up to its first `?` or `#`.
   */
  readonly path: string;
  /** The query string with its `?` (`?a=1`), or `''`. */
  readonly search: string;
  /**
   * True when every router below a mount reads the rest of this target as the rest of `path`: the
   * path starts with `/`, and the target is `path` (after `scheme://authority` in absolute form, that
   * authority ending at its first `/` as Express's own cut assumes) followed by nothing or a `?…` query,
   * with no `#`, whitespace or other character that sends parseurl to `url.parse`, whose result
   * depends on where the target was cut. Ordinary clients only send regular targets.
   */
  readonly regular: boolean;
}

/** The paths a request may be served under, for matching endpoint globs. */
export interface PathReadings {
  /**
   * Every path a router or file server may act on: the path as sent; Express 4's reading (it drops one
   * `/` of a repeated run at each mount boundary, so `/api/v2//issues` reaches `/issues` of a router at
   * `/api/v2`) and all repeats collapsed; each of those percent-decoded segment by segment; and the
   * decoded path with `\` as `/` and dot segments resolved, as express.static serves it.
   * Null when they cannot be listed (an irregular target, or more than three runs of repeated
   * slashes): such a request counts for every rule and is exempt from none.
   */
  readonly paths: readonly string[] | null;
  /**
   * True when all readings name one resource: a regular target whose path has no repeated slash, no
   * malformed escape, and, once decoded, no dot segment, `\` or repeated slash. The readings are then
   * the path as sent and decoded, and an endpoint whitelist entry may exempt the request only if it
   * matches both.
   */
  readonly plain: boolean;
}

/** The readings of a target whose paths cannot be listed: every rule counts it, no whitelist entry exempts it. */
export const UNLISTED_PATHS: PathReadings = Object.freeze({ paths: null, plain: false });
/** More runs than this are not listed: Express 4 may drop a slash in any subset of them (2^runs readings). */
const MAX_SLASH_RUNS = 3;
// What makes parseurl hand the target to url.parse instead of cutting it at `?`.
const SLOW_PATH = /[\t\n\f\r #\u00a0\ufeff]/;

/** Where a request keeps its reading: a symbol property (a WeakMap entry per request costs ~1 µs). */
// Beside the request, not on it: a property added to every request object costs a hidden-class transition.
const CACHE = new WeakMap<object, Cached>();
/** parseurl's result, which records the text it was read from in `_raw`. */
type ParsedTarget = { readonly pathname?: string | null; readonly search?: string | null; readonly _raw?: string };
type Cached = { readonly raw: string | undefined; readonly value: RequestPath };

/** The request's path as Express's router reads it; computed once per request (and per URL change). */
export function requestPathOf(req: Request): RequestPath {
  const raw = typeof req.originalUrl === 'string' ? req.originalUrl : req.url;
  const cached = CACHE.get(req);
  if (cached !== undefined && cached.raw === raw) return cached.value;
  const value = read(req, raw);
  CACHE.set(req, { raw, value });
  return value;
}

function read(req: Request, raw: string | undefined): RequestPath {
  let pathname: string | null | undefined;
  let search: string | null | undefined;
  try {
    // Memoized on the request as Express's own readers memoize it. Outside a mounted router the
    // target is req.url too, which the router has already parsed: that reading is reused.
    const parsed = (req as { _parsedUrl?: ParsedTarget })._parsedUrl;
    const url = raw === req.url && parsed?._raw === raw ? parsed : parseurl.original(req as unknown as IncomingMessage);
    pathname = url?.pathname;
    search = url?.search;
  } catch {
    pathname = undefined;
  }
  if (typeof pathname !== 'string' || pathname === '') {
    const text = typeof raw === 'string' ? raw : '';
    const cut = text.search(/[?#]/);
    return { path: (cut === -1 ? text : text.slice(0, cut)) || '/', search: '', regular: false };
  }
  return { path: pathname, search: search ?? '', regular: typeof raw === 'string' && isRegular(raw, pathname) };
}

function isRegular(raw: string, pathname: string): boolean {
  if (pathname.charCodeAt(0) !== 0x2f) return false;
  let rest = raw;
  if (raw.charCodeAt(0) !== 0x2f) {
    const host = protohost(raw);
    if (host === undefined || host === '') return false;
    rest = raw.slice(host.length);
  }
  if (SLOW_PATH.test(rest)) return false;
  const query = rest.indexOf('?');
  return (query === -1 ? rest : rest.slice(0, query)) === pathname;
}

/** Express's `getProtohost` (identical in Express 4 and router 2): the target up to the first `/` after `://`. */
function protohost(url: string): string | undefined {
  const searchIndex = url.indexOf('?');
  const fqdnIndex = url.slice(0, searchIndex === -1 ? url.length : searchIndex).indexOf('://');
  return fqdnIndex === -1 ? undefined : url.substring(0, url.indexOf('/', 3 + fqdnIndex));
}

/** Every path the routers or a file server may act on for this request (see {@link PathReadings}). */
export function pathReadings(target: RequestPath): PathReadings {
  if (!target.regular) return UNLISTED_PATHS;
  const path = target.path;
  const runs: number[] = [];
  for (let i = path.indexOf('//'); i !== -1; i = path.indexOf('//', i)) {
    runs.push(i);
    while (path.charCodeAt(i) === 0x2f) i++;
  }
  if (runs.length > MAX_SLASH_RUNS) return UNLISTED_PATHS;
  const paths = new Set<string>();
  for (let subset = 0; subset < 1 << runs.length; subset++) {
    // Drop one slash at each run in the subset (right to left, so indexes stay valid).
    let variant = path;
    for (let r = runs.length - 1; r >= 0; r--) {
      if (subset & (1 << r)) variant = variant.slice(0, runs[r]) + variant.slice((runs[r] as number) + 1);
    }
    paths.add(variant);
    paths.add(decodeSegments(variant));
  }
  const collapsed = path.replace(/\/{2,}/g, '/');
  paths.add(collapsed);
  paths.add(decodeSegments(collapsed));
  const decoded = decodeSegments(path);
  paths.add(resolveDots(decoded));
  let plain = false;
  if (runs.length === 0) {
    const strict = decodeStrict(path);
    plain = strict !== undefined && resolveDots(strict) === strict;
  }
  return { paths: [...paths], plain };
}

/** Percent-decodes each segment on its own; a segment with a malformed escape stays as sent. */
function decodeSegments(path: string): string {
  if (!path.includes('%')) return path;
  return path
    .split('/')
    .map((segment) => decodeStrict(segment) ?? segment)
    .join('/');
}

function decodeStrict(text: string): string | undefined {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** A decoded path as a file server resolves it: `\` is a separator (Windows), `.`/`..` resolved, repeats collapsed. */
function resolveDots(decoded: string): string {
  return posix.normalize(decoded.replace(/\\/g, '/'));
}
