/**
 * The guard's Prometheus metrics across config reloads. The registry is made the first time
 * `Metrics.Enabled` is true and kept from then on, so counters survive turning metrics off and on
 * again; while off, the HTTP histogram leaves the chain, the limiter reports nothing and the handler
 * passes requests on (to the app's 404). prom-client is an optional peer dependency: without it
 * `Metrics.Enabled: true` leaves metrics off, and the guard logs why once (see {@link logNotice}).
 */
import type { RequestHandler } from 'express';
import type { MetricsConfig } from '../config/index.js';
import { promClientInstalled, PROM_CLIENT_INSTALL, type LogSink } from '../core/index.js';
import { createMetricsRegistry, guardMetrics, httpMetrics, metricsHandler, type GuardMetrics, type MetricsRegistry } from '../metrics/index.js';

/** Logged (Information) once when Metrics.Enabled is true and prom-client is not installed. */
const METRICS_OFF_NOTICE = `Metrics are off: Metrics.Enabled is true but prom-client, an optional peer dependency, is not installed; run \`${PROM_CLIENT_INSTALL}\` to serve them.`;

export class ManagedMetrics {
  #enabled = false;
  #registry: MetricsRegistry | undefined;
  #notice: string | undefined;
  #noticed = false;
  #http: RequestHandler | undefined;
  #counters: GuardMetrics | undefined;
  /** Serves the registry while metrics are on. */
  readonly handler: RequestHandler = metricsHandler(() => this.registry);

  constructor(section: MetricsConfig) {
    this.apply(section);
  }

  /** The registry while metrics are on, else undefined. */
  get registry(): MetricsRegistry | undefined {
    return this.#enabled ? this.#registry : undefined;
  }

  /** The HTTP histogram middleware while metrics are on. */
  get http(): RequestHandler | undefined {
    return this.#enabled ? this.#http : undefined;
  }

  apply(section: MetricsConfig): void {
    if (section.Enabled && this.#registry === undefined) {
      if (!promClientInstalled()) {
        if (!this.#noticed) this.#notice = METRICS_OFF_NOTICE;
        this.#noticed = true;
        this.#enabled = false;
        return;
      }
      const registry = createMetricsRegistry();
      this.#http = httpMetrics({ registry });
      this.#counters = guardMetrics(registry);
      this.#registry = registry;
    }
    this.#enabled = section.Enabled;
  }

  /** Logs, once, why metrics stayed off although enabled (prom-client missing); nothing otherwise. */
  logNotice(log: Pick<LogSink, 'info'>): void {
    if (this.#notice !== undefined) log.info(this.#notice);
    this.#notice = undefined;
  }

  configReload(result: 'applied' | 'rejected'): void {
    if (this.#enabled) this.#counters?.configReload(result);
  }

  /** For createLogger's onDropped; lines dropped while metrics are off are not counted. */
  readonly logLinesDropped = (count: number): void => {
    if (this.#enabled) this.#counters?.logLinesDropped(count);
  };
}
