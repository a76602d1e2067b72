/**
 * Which rules apply to a request. Rules are compiled once; the set matching a method+path is
 * computed once and cached, together with its header strings, so a request costs a Map lookup.
 */
import { type EndpointPattern, endpointMatches, requestPath } from './endpoint.js';
import type { RateLimitWindow } from './store.js';

export interface CompiledRule extends RateLimitWindow {
  readonly endpoint: EndpointPattern;
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
}

/** Route cache bound: distinct paths are attacker-controlled, so the cache must not grow forever. */
const MAX_CACHED_ROUTES = 10_000;

export class RuleMatcher {
  private readonly rules: readonly CompiledRule[];
  private readonly whitelist: readonly EndpointPattern[];
  /** True when some rule or whitelist entry looks at the path; otherwise the method alone decides. */
  private readonly pathSensitive: boolean;
  private readonly byMethod = new Map<string, MatchedRules | null>();
  private readonly byRoute = new Map<string, MatchedRules | null>();
  private readonly sets = new Map<string, MatchedRules>();

  constructor(rules: readonly CompiledRule[], whitelist: readonly EndpointPattern[]) {
    this.rules = rules;
    this.whitelist = whitelist;
    this.pathSensitive = rules.some((rule) => rule.endpoint.path !== null) || whitelist.some((entry) => entry.path !== null);
  }

  /** The rules for this request, or null when none apply (or the endpoint is whitelisted). */
  match(method: string, url: string): MatchedRules | null {
    if (!this.pathSensitive) {
      let found = this.byMethod.get(method);
      if (found === undefined) {
        found = this.compute(method, '/');
        this.byMethod.set(method, found);
      }
      return found;
    }
    const path = requestPath(url);
    const routeKey = method + ' ' + path;
    let found = this.byRoute.get(routeKey);
    if (found === undefined) {
      found = this.compute(method, path);
      if (this.byRoute.size >= MAX_CACHED_ROUTES) this.byRoute.clear();
      this.byRoute.set(routeKey, found);
    }
    return found;
  }

  private compute(method: string, path: string): MatchedRules | null {
    for (const entry of this.whitelist) if (endpointMatches(entry, method, path)) return null;
    const windows = this.rules.filter((rule) => endpointMatches(rule.endpoint, method, path));
    if (windows.length === 0) return null;
    const id = windows.map((rule) => rule.slot).join(',');
    let set = this.sets.get(id);
    if (set === undefined) {
      set = matchedRules(windows);
      this.sets.set(id, set);
    }
    return set;
  }
}

/** A rule set with its header strings precomputed. */
export function matchedRules(windows: readonly CompiledRule[]): MatchedRules {
  return Object.freeze({
    windows: Object.freeze([...windows]),
    policy: windows.map((rule) => `${quote(rule.name)};q=${rule.limit};w=${rule.periodMs / 1000}`).join(', '),
    itemPrefix: windows.map((rule) => `${quote(rule.name)};r=`),
    limitText: windows.map((rule) => String(rule.limit)),
  });
}

/** An RFC 9651 sf-string. Rule names are validated to need no escapes, but be safe anyway. */
function quote(name: string): string {
  return `"${name.replace(/[\\"]/g, '\\$&')}"`;
}
