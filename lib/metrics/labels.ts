/**
 * Label values of the HTTP histogram, each from a bounded set so that no request can add a series:
 * methods from a fixed list, status codes as numbers 100–599, routes as Express's route patterns
 * (never the raw path), at most `maxRoutes` distinct ones.
 */
import type { Request } from 'express';

/** What OpenTelemetry's HTTP semantic conventions call an unknown method; used for every overflow. */
export const OTHER = '_OTHER';

// OpenTelemetry semantic conventions, http.request.method: the RFC 9110 methods plus PATCH.
const METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE']);

/** `GET` … `TRACE`, or `_OTHER` for any other method (PROPFIND, a custom verb). */
export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : OTHER;
}

const STATUS_TEXT: string[] = [];
for (let code = 100; code <= 599; code++) STATUS_TEXT[code] = String(code);

/** `200`, `429`, …; `_OTHER` outside 100–599 (Node accepts up to 999). */
export function statusLabel(code: number): string {
  return STATUS_TEXT[code] ?? OTHER;
}

const ROUTE = Symbol('express-api-guard.route');
const ROUTE_BASE = Symbol('express-api-guard.route-base');
type Tracked = Request & { [ROUTE]?: { path?: unknown }; [ROUTE_BASE]?: string };

// Express assigns req.route when a route matches, while req.baseUrl is still the mount path of the
// router holding it; by the time the response finishes, an error passed out of that router has
// restored req.baseUrl (a 500 from the app's error handler would lose `/api/v2`). So the accessor
// remembers both at assignment. One pair of functions for every request: no closure per request.
const routeProperty: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: Tracked) {
    return this[ROUTE];
  },
  set(this: Tracked, value: { path?: unknown }) {
    this[ROUTE] = value;
    this[ROUTE_BASE] = this.baseUrl;
  },
};

/** Makes `req` remember the mount path of the route Express matches (see {@link expressRoute}). */
export function trackRoute(req: Request): void {
  Object.defineProperty(req, 'route', routeProperty);
}

/**
 * The route Express matched for this request: the mount path the route sits under joined with the
 * route's pattern (`req.route.path`), e.g. `/api/v2/issues/:id`; undefined when no route matched
 * (a 404, or a response sent by middleware). Exact for a request passed through {@link trackRoute};
 * otherwise it reads `req.baseUrl` now.
 */
export function expressRoute(req: Request): string | undefined {
  const tracked = req as Tracked;
  const route = (tracked as { route?: { path?: unknown } }).route;
  if (route === undefined || route === null) return undefined;
  const path = route.path;
  const pattern = typeof path === 'string' ? path : path instanceof RegExp ? String(path) : Array.isArray(path) ? path.map(String).join(',') : undefined;
  if (pattern === undefined) return undefined;
  const base = (ROUTE_BASE in tracked ? tracked[ROUTE_BASE] : req.baseUrl) ?? '';
  if (base === '') return pattern;
  return pattern === '/' ? base : base + pattern;
}

/** Remembers the routes seen; past `max` distinct ones every new route becomes `_OTHER`. */
export class RouteLabels {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  label(route: string): string {
    if (this.seen.has(route)) return route;
    if (this.seen.size >= this.max) return OTHER;
    this.seen.add(route);
    return route;
  }
}
