/**
 * `http_server_request_duration_seconds`, the OpenTelemetry HTTP server histogram as Prometheus
 * names it: one observation per finished response, labelled `http_request_method`,
 * `http_response_status_code` and, when Express matched a route, `http_route`. A request costs one
 * 'finish' listener and one observation (lib/core's FastHistogram: prom-client's own observe() costs
 * several microseconds per request there).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Registry } from 'prom-client';
import { fastHistogram, isRegistry, OptionKit, type KeysEnum } from '../core/index.js';
import { expressRoute, methodLabel, RouteLabels, statusLabel, trackRoute } from './labels.js';

/** Options for {@link httpMetrics}. */
export type HttpMetricsOptions = Readonly<{
  /** The prom-client Registry the histogram is registered in (or taken from, when already there). Required. */
  registry: Registry;
  /**
   * Distinct `http_route` values kept; requests on routes seen after that are labelled `_OTHER`.
   * Route patterns are bounded by your code, except routers mounted on a path with parameters, whose
   * `req.baseUrl` holds the matched values. Defaults to 200.
   */
  maxRoutes?: number;
}>;

export const HTTP_DURATION = 'http_server_request_duration_seconds';
// The bucket boundaries OpenTelemetry's semantic conventions advise for http.server.request.duration.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

const KEYS: KeysEnum<HttpMetricsOptions> = { registry: true, maxRoutes: true };
export const kit: OptionKit = new OptionKit({ name: 'httpMetrics', code: 'METRICS', docs: 'observability.md' });

/** Middleware observing every response's duration. Mount it first, so it times everything after it. */
export function httpMetrics(options: HttpMetricsOptions): RequestHandler {
  const given = kit.object(options, KEYS);
  if (!isRegistry(given.registry)) kit.fail('INVALID_OPTION', 'registry', 'expected a prom-client Registry (new Registry() from prom-client).');
  const routes = new RouteLabels(kit.integer(given.maxRoutes, 200, 1, 10_000, 'maxRoutes'));
  const histogram = fastHistogram(
    given.registry,
    HTTP_DURATION,
    'Duration of HTTP server requests (from the first middleware to the last byte handed to the socket).',
    BUCKETS,
  );

  return function httpMetricsMiddleware(req: Request, res: Response, next: NextFunction): void {
    const start = performance.now();
    trackRoute(req);
    // 'finish' fires once, when the response is handed over; a request the client abandoned is not observed.
    res.on('finish', () => {
      const seconds = (performance.now() - start) / 1000;
      const found = expressRoute(req);
      const route = found === undefined ? undefined : routes.label(found);
      const method = methodLabel(req.method);
      const status = statusLabel(res.statusCode);
      const key = route === undefined ? method + ' ' + status : method + ' ' + status + ' ' + route;
      histogram
        .series(key, () => ({ http_request_method: method, http_response_status_code: status, ...(route === undefined ? {} : { http_route: route }) }))
        .observe(seconds);
    });
    next();
  };
}
