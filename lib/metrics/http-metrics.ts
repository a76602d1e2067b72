/**
 * `http_server_request_duration_seconds`, the OpenTelemetry HTTP server histogram as Prometheus
 * names it: one observation per finished response, labelled `http_request_method`,
 * `http_response_status_code` and, when Express matched a route, `http_route`. A request costs one
 * 'finish' listener and one observe().
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Histogram, Registry } from 'prom-client';
import { instrument, isRegistry, OptionKit, promClient, type KeysEnum } from '../core/index.js';
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
type Label = 'http_request_method' | 'http_response_status_code' | 'http_route';

const KEYS: KeysEnum<HttpMetricsOptions> = { registry: true, maxRoutes: true };
export const kit: OptionKit = new OptionKit({ name: 'httpMetrics', code: 'METRICS', docs: 'observability.md' });

/** Middleware observing every response's duration. Mount it first, so it times everything after it. */
export function httpMetrics(options: HttpMetricsOptions): RequestHandler {
  const given = kit.object(options, KEYS);
  if (!isRegistry(given.registry)) kit.fail('INVALID_OPTION', 'registry', 'expected a prom-client Registry (new Registry() from prom-client).');
  const routes = new RouteLabels(kit.integer(given.maxRoutes, 200, 1, 10_000, 'maxRoutes'));
  const prom = promClient();
  const histogram: Histogram<Label> = instrument(given.registry, HTTP_DURATION, (registers) =>
    new prom.Histogram({
      name: HTTP_DURATION,
      help: 'Duration of HTTP server requests (from the first middleware to the last byte handed to the socket).',
      labelNames: ['http_request_method', 'http_response_status_code', 'http_route'],
      buckets: BUCKETS,
      registers,
    }),
  );

  return function httpMetricsMiddleware(req: Request, res: Response, next: NextFunction): void {
    const start = performance.now();
    trackRoute(req);
    // 'finish' fires once the response is handed over; a request the client abandoned is not observed.
    res.once('finish', () => {
      const route = expressRoute(req);
      const labels: Partial<Record<Label, string>> = {
        http_request_method: methodLabel(req.method),
        http_response_status_code: statusLabel(res.statusCode),
      };
      if (route !== undefined) labels.http_route = routes.label(route);
      histogram.observe(labels, (performance.now() - start) / 1000);
    });
    next();
  };
}
