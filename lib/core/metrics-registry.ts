/**
 * The metrics registry as the guard's public types name it: the members of a prom-client `Registry`
 * that we call and that users need from `guard.metrics`, declared here instead of imported. prom-client
 * is an optional peer dependency, so no published declaration may name it: a TypeScript app without
 * it installed must still compile (with `skipLibCheck: false` too). A prom-client `Registry` is a
 * MetricsRegistry (test/metrics/registry-type.test.ts checks it with the real class); the other way,
 * where a prom-client function wants its own `Registry`, one cast does it: `guard.metrics as Registry`.
 */

/** A metric a registry can hold: prom-client's Counter, Gauge, Histogram and Summary, and our FastHistogram. */
export interface RegistrableMetric {
  /** The metric's values, as the registry reads them when serving. */
  get(): unknown;
  /** Sets every value back to zero. */
  reset(): void;
}

/** The members of a prom-client `Registry` the guard uses and documents. */
export interface MetricsRegistry {
  /** Every metric in the Prometheus (or OpenMetrics) text format. */
  metrics(): Promise<string>;
  /** The Content-Type of what metrics() returns, e.g. `text/plain; version=0.0.4; charset=utf-8`. */
  readonly contentType: string;
  /** The metric registered under `name`, if any. */
  getSingleMetric(name: string): RegistrableMetric | undefined;
  /** One metric in the text format. */
  getSingleMetricAsString(name: string): Promise<string>;
  /** Adds a metric (one created with `registers: []`, or a custom one). */
  registerMetric(metric: RegistrableMetric): void;
  /** Removes the metric registered under `name`. */
  removeSingleMetric(name: string): void;
  /** Labels added to every series this registry serves, e.g. `{ instance: 'api-01' }`. */
  setDefaultLabels(labels: object): void;
  /** Sets every metric's values back to zero. */
  resetMetrics(): void;
  /** Removes every metric. */
  clear(): void;
}

/** A registry check that does not need prom-client loaded (a caller may use another copy of it). */
export function isRegistry(value: unknown): value is MetricsRegistry {
  const candidate = value as MetricsRegistry | null;
  return typeof value === 'object' && candidate !== null && typeof candidate.getSingleMetric === 'function' && typeof candidate.metrics === 'function';
}
