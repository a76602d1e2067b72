/**
 * Public face of lib/metrics (`express-api-guard/metrics`): Prometheus metrics with OpenTelemetry
 * semantic-convention names. prom-client, an optional peer dependency, is loaded when one of these
 * first needs it, not on import; createMetricsRegistry() and guardMetrics() throw, naming
 * `npm install prom-client`, when it is not installed.
 */
export { httpMetrics, HTTP_DURATION, type HttpMetricsOptions } from './http-metrics.js';
export { metricsHandler } from './handler.js';
export { createMetricsRegistry, guardMetrics, type GuardMetrics } from './guard-metrics.js';
export type { MetricsRegistry, RegistrableMetric } from '../core/index.js';
