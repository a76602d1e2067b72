/**
 * Public face of lib/metrics (`express-api-guard/metrics`): Prometheus metrics with OpenTelemetry
 * semantic-convention names. prom-client is loaded when one of these is first called, not on import.
 */
export { httpMetrics, HTTP_DURATION, type HttpMetricsOptions } from './http-metrics.js';
export { metricsHandler } from './handler.js';
export { createMetricsRegistry, guardMetrics, type GuardMetrics } from './guard-metrics.js';
