/**
 * Which rules apply to a request. Rules are compiled once; the set matching a method+path is
 * computed once and cached, together with its header strings, so a request costs a Map lookup.
 * The path is lib/core's canonical request path; see endpoint.ts for how rules and the whitelist
 * meet its readings.
 */
import type { Request } from 'express';
import { pathReadings, requestPathOf, UNLISTED_PATHS, type PathReadings, type RuleMode } from '../core/index.js';
import { type EndpointPattern, ruleCounts, whitelistExempts } from './endpoint.js';
import type { RateLimitWindow } from './store.js';

export interface CompiledRule extends RateLimitWindow {
  readonly endpoint: EndpointPattern;
  readonly mode: RuleMode;
  readonly monitor: boolean;
}

/** The rules matching one kind of request, with everything the headers need precomputed. */
export interface MatchedRules {
  readonly windows: readonly CompiledRule[];
  /** Draft-10 `RateLimit-Policy` value listing every rule, e.g. `"burst";q=20;w=1, "minute";q=100;w=60`. */
  readonly policy: string;
  /** Per window, the start of its `RateLimit` item: `"burst";r=`. */
  readonly itemPrefix: readonly string[];
  /** Per window, `String(limit)` for X-Rate-Limit-Limit. */
  readonly limitText: readonly string[];
  /** Indexes of the monitor-mode windows, or null when there are none (the common case). */
  readonly monitors: readonly number[] | null;
  /** Per window, true when the headers leave it out (a monitor window, unless monitoredInHeaders); null when none is left out. */
  readonly hidden: readonly boolean[] | null;
  /** Whether monitor windows are listed in the headers (kept for the fallback's scaled copy). */
  readonly monitoredInHeaders: boolean;
}

/**
 * Route cache bound, in entries and in key length: distinct paths are attacker-controlled, so the
 * cache holds at most 10,000 keys of at most 256 characters (about 3 MB with the Map's own overhead).
 * Longer paths are matched afresh each time, which costs less than the request line they came on.
 */
export const MAX_CACHED_ROUTES = 10_000;
const MAX_CACHED_PATH = 256;

export interface RuleMatcherOptions {
  /** List monitor windows in the headers. Defaults to false. */
  readonly monitoredInHeaders?: boolean;
  /** Route cache bound in entries (policies share the bound between them). Defaults to 10,000. */
  readonly maxRoutes?: number;
}

export class RuleMatcher {
  private readonly rules: readonly CompiledRule[];
  private readonly whitelist: readonly EndpointPattern[];
  /** True when some rule or whitelist entry looks at the path; otherwise the method alone decides. */
  private readonly pathSensitive: boolean;
  private readonly byMethod = new Map<string, MatchedRules | null>();
  private readonly unlisted = new Map<string, MatchedRules | null>();
  private readonly byRoute = new Map<string, MatchedRules | null>();
  private readonly sets = new Map<string, MatchedRules>();
  private readonly monitoredInHeaders: boolean;
  private readonly maxRoutes: number;

  constructor(rules: readonly CompiledRule[], whitelist: readonly EndpointPattern[], options: RuleMatcherOptions = {}) {
    this.rules = rules;
    this.whitelist = whitelist;
    this.monitoredInHeaders = options.monitoredInHeaders ?? false;
    this.maxRoutes = options.maxRoutes ?? MAX_CACHED_ROUTES;
    this.pathSensitive = rules.some((rule) => rule.endpoint.path !== null) || whitelist.some((entry) => entry.path !== null);
  }

  /** The rules for this request, or null when none apply (or the endpoint is whitelisted). */
  match(req: Request): MatchedRules | null {
    const method = req.method;
    // Without path globs the path is not even read; for an irregular target its readings cannot be listed.
    if (!this.pathSensitive) return this.cached(this.byMethod, method, UNLISTED_PATHS);
    const target = requestPathOf(req);
    if (!target.regular) return this.cached(this.unlisted, method, UNLISTED_PATHS);
    const path = target.path;
    if (path.length > MAX_CACHED_PATH) return this.compute(method, pathReadings(target));
    const routeKey = method + ' ' + path;
    let found = this.byRoute.get(routeKey);
    if (found === undefined) {
      found = this.compute(method, pathReadings(target));
      if (this.byRoute.size >= this.maxRoutes) this.byRoute.clear();
      this.byRoute.set(detached(routeKey), found);
    }
    return found;
  }

  private cached(cache: Map<string, MatchedRules | null>, method: string, readings: PathReadings): MatchedRules | null {
    let found = cache.get(method);
    if (found === undefined) {
      found = this.compute(method, readings);
      cache.set(method, found);
    }
    return found;
  }

  private compute(method: string, readings: PathReadings): MatchedRules | null {
    for (const entry of this.whitelist) if (whitelistExempts(entry, method, readings)) return null;
    const windows = this.rules.filter((rule) => ruleCounts(rule.endpoint, method, readings));
    if (windows.length === 0) return null;
    const id = windows.map((rule) => rule.slot).join(',');
    let set = this.sets.get(id);
    if (set === undefined) {
      set = matchedRules(windows, this.monitoredInHeaders);
      this.sets.set(id, set);
    }
    return set;
  }
}

/** A rule set with its header strings precomputed. */
export function matchedRules(windows: readonly CompiledRule[], monitoredInHeaders = false): MatchedRules {
  const monitors = windows.flatMap((rule, i) => (rule.monitor ? [i] : []));
  const hidden = monitors.length > 0 && !monitoredInHeaders ? windows.map((rule) => rule.monitor) : null;
  return Object.freeze({
    windows: Object.freeze([...windows]),
    policy: windows
      .filter((_, i) => hidden === null || !hidden[i])
      .map((rule) => `${quote(rule.name)};q=${rule.limit};w=${rule.periodMs / 1000}`)
      .join(', '),
    itemPrefix: windows.map((rule) => `${quote(rule.name)};r=`),
    limitText: windows.map((rule) => String(rule.limit)),
    monitors: monitors.length > 0 ? Object.freeze(monitors) : null,
    hidden: hidden === null ? null : Object.freeze(hidden),
    monitoredInHeaders,
  });
}

/**
 * A copy of `text` sharing no memory with the string it was cut from: a path parseurl cut from a
 * 16 KB target is a V8 slice that keeps the whole target alive, which an entry bound cannot see.
 * Flattening a concatenation copies the characters.
 */
function detached(text: string): string {
  return (' ' + text).slice(1);
}

/** An RFC 9651 sf-string. Rule names are validated to need no escapes, but be safe anyway. */
function quote(name: string): string {
  return `"${name.replace(/[\\"]/g, '\\$&')}"`;
}
