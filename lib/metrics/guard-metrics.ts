/**
 * The guard's own counters: config reloads by outcome and log lines the logger had to drop. Both
 * label values of the reload counter start at 0, so a rate() over them works from the first scrape.
 */
import type { Counter, Registry } from 'prom-client';
import { instrument, promClient } from '../core/index.js';

/** What the guard reports beside HTTP and rate-limit metrics. */
export interface GuardMetrics {
  /** A config change was applied, or rejected (invalid file, or options a middleware refused). */
  configReload(result: 'applied' | 'rejected'): void;
  /** `count` log lines were dropped (logger closed, file not writable, a line that could not be written). */
  logLinesDropped(count: number): void;
}

/** Registers (or takes from `registry`) the guard's counters. */
export function guardMetrics(registry: Registry): GuardMetrics {
  const prom = promClient();
  const reloads: Counter<'result'> = instrument(registry, 'api_guard_config_reloads_total', (registers) => {
    const counter = new prom.Counter({
      name: 'api_guard_config_reloads_total',
      help: 'Configuration changes seen by the guard, by result: applied, or rejected (the running configuration was kept).',
      labelNames: ['result'],
      registers,
    });
    counter.inc({ result: 'applied' }, 0);
    counter.inc({ result: 'rejected' }, 0);
    return counter;
  });
  const dropped: Counter = instrument(registry, 'api_guard_log_lines_dropped_total', (registers) =>
    new prom.Counter({
      name: 'api_guard_log_lines_dropped_total',
      help: 'Log lines that did not reach a destination they were meant for (logger closed, log file not writable, write failed).',
      registers,
    }),
  );
  const applied = reloads.labels('applied');
  const rejected = reloads.labels('rejected');
  return Object.freeze({
    configReload: (result: 'applied' | 'rejected') => (result === 'applied' ? applied : rejected).inc(),
    logLinesDropped: (count: number) => dropped.inc(count),
  });
}

/** A new prom-client Registry (loads prom-client). */
export function createMetricsRegistry(): Registry {
  return new (promClient().Registry)();
}
