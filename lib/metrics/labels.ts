/**
 * Label values of the HTTP histogram, each from a bounded set so that no request can add a series:
 * methods from a fixed list, status codes as numbers 100–599, routes as Express's route patterns
 * (never the raw path), at most `maxRoutes` distinct ones.
 */
import { IncomingMessage } from 'node:http';
import type { Request } from 'express';

/** What OpenTelemetry's HTTP semantic conventions call an unknown method; used for every overflow. */
export const OTHER = '_OTHER';

// OpenTelemetry semantic conventions, http.request.method: the RFC 9110 methods plus PATCH.
const METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE']);

/** `GET` … `TRACE`, or `_OTHER` for any other method (PROPFIND, a custom verb). */
export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : OTHER;
}

const METHOD_NUMBER = new Map([...METHODS].map((method, i) => [method, i + 1]));

/**
 * A number unique to the (method label, status label) pair, for looking a series up without
 * building a string: 1–9 × 1000 for the methods (0 for `_OTHER`) plus the status (0 for `_OTHER`).
 */
export function methodStatusNumber(method: string, status: number): number {
  return (METHOD_NUMBER.get(method) ?? 0) * 1000 + (status >= 100 && status <= 599 ? status : 0);
}

const STATUS_TEXT: string[] = [];
for (let code = 100; code <= 599; code++) STATUS_TEXT[code] = String(code);

/** `200`, `429`, …; `_OTHER` outside 100–599 (Node accepts up to 999). */
export function statusLabel(code: number): string {
  return STATUS_TEXT[code] ?? OTHER;
}

interface RouteSeen {
  readonly route: { path?: unknown };
  readonly base: string;
}
type Tracked = Request & { res?: { locals?: Record<string, unknown> }; _apiGuardRoute?: RouteSeen };
const SEEN = 'apiGuardRoute';

function seenRoute(req: Tracked): RouteSeen | undefined {
  return (req.res?.locals?.[SEEN] as RouteSeen | undefined) ?? req._apiGuardRoute;
}

// Express assigns req.route when a route matches, while req.baseUrl is still the mount path of the
// router holding it; by the time the response finishes, an error passed out of that router has
// restored req.baseUrl (a 500 from the app's error handler would lose `/api/v2`). So an accessor
// remembers both at assignment. It is defined once on the app's request prototype (`app.request`,
// which Express meant for extension), not per request: defining a property on each request object
// costs about a microsecond and slows every later access to it. What it remembers goes into
// res.locals, a small object: adding properties to the request itself (large, and already grown by
// Express) measured at 1–3 % of the guard's CPU.
const routeProperty: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: Tracked) {
    return seenRoute(this)?.route;
  },
  set(this: Tracked, route: { path?: unknown }) {
    const seen: RouteSeen = { route, base: this.baseUrl };
    const locals = this.res?.locals;
    // Without res.locals (a request Express has not initialised) the request itself keeps it.
    if (locals !== undefined) locals[SEEN] = seen;
    else this._apiGuardRoute = seen;
  },
};

const tracked = new WeakSet<object>();
let lastPrototype: object | null = null;

/**
 * Makes requests of `req`'s app remember the mount path of the route Express matches (see
 * {@link expressRoute}). Costs a prototype read per request once the app's prototype is set up.
 */
export function trackRoute(req: Request): void {
  const prototype = Object.getPrototypeOf(req) as object | null;
  if (prototype === lastPrototype || prototype === null) return;
  lastPrototype = prototype;
  // Only an Express app's request object (it has `header`, `accepts`, …), never Node's IncomingMessage.prototype.
  if (tracked.has(prototype) || typeof (prototype as { header?: unknown }).header !== 'function' || prototype === IncomingMessage.prototype) return;
  tracked.add(prototype);
  Object.defineProperty(prototype, 'route', routeProperty);
}

/**
 * The route Express matched for this request: the mount path the route sits under joined with the
 * route's pattern (`req.route.path`), e.g. `/api/v2/issues/:id`; undefined when no route matched
 * (a 404, or a response sent by middleware). Exact for requests of an app seen by {@link trackRoute};
 * otherwise (e.g. a route in a mounted sub-app, which has a request prototype of its own) it reads
 * `req.baseUrl` now.
 */
export function expressRoute(req: Request): string | undefined {
  const seen = seenRoute(req as Tracked);
  const route = seen !== undefined ? seen.route : (req as { route?: { path?: unknown } }).route;
  if (route === undefined || route === null) return undefined;
  const path = route.path;
  const pattern = typeof path === 'string' ? path : path instanceof RegExp ? String(path) : Array.isArray(path) ? path.map(String).join(',') : undefined;
  if (pattern === undefined) return undefined;
  const base = (seen !== undefined ? seen.base : req.baseUrl) ?? '';
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
