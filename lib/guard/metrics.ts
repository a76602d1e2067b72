/**
 * The guard's Prometheus metrics across config reloads. The registry is made the first time
 * `Metrics.Enabled` is true and kept from then on, so counters survive turning metrics off and on
 * again; while off, the HTTP histogram leaves the chain, the limiter reports nothing and the handler
 * passes requests on (to the app's 404).
 */
import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import type { MetricsConfig } from '../config/index.js';
import { createMetricsRegistry, guardMetrics, httpMetrics, metricsHandler, type GuardMetrics } from '../metrics/index.js';

export class ManagedMetrics {
  #enabled = false;
  #registry: Registry | undefined;
  #http: RequestHandler | undefined;
  #counters: GuardMetrics | undefined;
  /** Serves the registry while metrics are on. */
  readonly handler: RequestHandler = metricsHandler(() => this.registry);

  constructor(section: MetricsConfig) {
    this.apply(section);
  }

  /** The registry while metrics are on, else undefined. */
  get registry(): Registry | undefined {
    return this.#enabled ? this.#registry : undefined;
  }

  /** The HTTP histogram middleware while metrics are on. */
  get http(): RequestHandler | undefined {
    return this.#enabled ? this.#http : undefined;
  }

  apply(section: MetricsConfig): void {
    if (section.Enabled && this.#registry === undefined) {
      const registry = createMetricsRegistry();
      this.#http = httpMetrics({ registry });
      this.#counters = guardMetrics(registry);
      this.#registry = registry;
    }
    this.#enabled = section.Enabled;
  }

  configReload(result: 'applied' | 'rejected'): void {
    if (this.#enabled) this.#counters?.configReload(result);
  }

  /** For createLogger's onDropped; lines dropped while metrics are off are not counted. */
  readonly logLinesDropped = (count: number): void => {
    if (this.#enabled) this.#counters?.logLinesDropped(count);
  };
}
