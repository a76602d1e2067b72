/**
 * The guard's own counters: config reloads by outcome and log lines the logger had to drop. Both
 * label values of the reload counter start at 0, so a rate() over them works from the first scrape.
 */
import { counter, newRegistry, promClientInstalled, PromClientMissingError, type MetricsRegistry } from '../core/index.js';

/** What the guard reports beside HTTP and rate-limit metrics. */
export interface GuardMetrics {
  /** A config change was applied, or rejected (invalid file, or options a middleware refused). */
  configReload(result: 'applied' | 'rejected'): void;
  /** `count` log lines were dropped (logger closed, file not writable, a line that could not be written). */
  logLinesDropped(count: number): void;
}

/**
 * Registers (or takes from `registry`) the guard's counters. Throws (code `ERR_PROM_CLIENT_MISSING`,
 * naming `npm install prom-client`) when prom-client is not installed.
 */
export function guardMetrics(registry: MetricsRegistry): GuardMetrics {
  if (!promClientInstalled()) throw new PromClientMissingError('guardMetrics()');
  const reloads = counter(
    registry,
    {
      name: 'api_guard_config_reloads_total',
      help: 'Configuration changes seen by the guard, by result: applied, or rejected (the running configuration was kept).',
      labelNames: ['result'],
    },
    (made) => {
      made.labels('applied').inc(0);
      made.labels('rejected').inc(0);
    },
  );
  const dropped = counter(registry, {
    name: 'api_guard_log_lines_dropped_total',
    help: 'Log lines that did not reach a destination they were meant for (logger closed, log file not writable, write failed).',
  });
  const applied = reloads.labels('applied');
  const rejected = reloads.labels('rejected');
  return Object.freeze({
    configReload: (result: 'applied' | 'rejected') => (result === 'applied' ? applied : rejected).inc(),
    logLinesDropped: (count: number) => dropped.inc(count),
  });
}

/**
 * A new prom-client Registry. Throws (code `ERR_PROM_CLIENT_MISSING`, naming `npm install
 * prom-client`) when prom-client, an optional peer dependency, is not installed.
 */
export function createMetricsRegistry(): MetricsRegistry {
  return newRegistry('createMetricsRegistry()');
}
