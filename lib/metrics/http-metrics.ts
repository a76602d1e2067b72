/**
 * `http_server_request_duration_seconds`, the OpenTelemetry HTTP server histogram as Prometheus
 * names it: one observation per finished response, labelled `http_request_method`,
 * `http_response_status_code` and, when Express matched a route, `http_route`. A request costs one
 * 'finish' listener and one observation (lib/core's FastHistogram: prom-client's own observe() costs
 * several microseconds per request there).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { fastHistogram, isRegistry, onResponseDone, OptionKit, type HistogramSeries, type KeysEnum, type MetricsRegistry } from '../core/index.js';
import { expressRoute, methodLabel, methodStatusNumber, RouteLabels, statusLabel, trackRoute } from './labels.js';

/** Options for {@link httpMetrics}. */
export type HttpMetricsOptions = Readonly<{
  /** The prom-client Registry the histogram is registered in (or taken from, when already there). Required. */
  registry: MetricsRegistry;
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

  // The series per route label (or none), then per method and status: a request costs the route's
  // string lookup (needed for the cap anyway) and one number lookup; no key string is built.
  const noRoute = new Map<number, HistogramSeries>();
  const byRoute = new Map<string, Map<number, HistogramSeries>>();
  const seriesFor = (req: Request, status: number, route: string | undefined): HistogramSeries => {
    let table = route === undefined ? noRoute : byRoute.get(route);
    if (table === undefined) {
      table = new Map();
      byRoute.set(route as string, table);
    }
    const number = methodStatusNumber(req.method, status);
    let series = table.get(number);
    if (series === undefined) {
      const labels = {
        http_request_method: methodLabel(req.method),
        http_response_status_code: statusLabel(status),
        ...(route === undefined ? {} : { http_route: route }),
      };
      series = histogram.series(Object.values(labels).join(' '), () => labels);
      table.set(number, series);
    }
    return series;
  };

  return function httpMetricsMiddleware(req: Request, res: Response, next: NextFunction): void {
    const start = performance.now();
    trackRoute(req);
    onResponseDone(res, (_res, finished) => {
      // A request the client abandoned before the response was handed over is not observed.
      if (!finished) return;
      const seconds = (performance.now() - start) / 1000;
      const found = expressRoute(req);
      seriesFor(req, res.statusCode, found === undefined ? undefined : routes.label(found)).observe(seconds);
    });
    next();
  };
}
