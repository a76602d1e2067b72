/**
 * The limiter's Prometheus instruments. Without a registry the limiter holds NO_METRICS, whose
 * methods do nothing, so its call sites cost an empty call and prom-client is never loaded. With one,
 * the instruments are created in (or, when another limiter already did, taken from) that registry,
 * once per registry: update() and a second limiter sharing it reuse them.
 */
import type { Counter, Gauge, Registry } from 'prom-client';
import { fastHistogram, instrument, isRegistry, promClient } from '../core/index.js';
import { kit } from './kit.js';

/** What the limiter reports; every label value is a configured rule name. */
export interface LimiterMetrics {
  /** A request refused (429) by `rule`. */
  refused(rule: string): void;
  /** A request `rule` would have refused, admitted because the rule only monitors. */
  monitored(rule: string): void;
  /** A request decided by the in-process fallback while the store is unavailable. */
  fallbackDecision(): void;
  /** The store became unavailable (false) or recovered (true). */
  storeUp(up: boolean): void;
  /** A timestamp to hand to storeDone(); 0 when nothing is measured. */
  storeStart(): number;
  /** The store call begun at `started` answered, failed or timed out. */
  storeDone(started: number): void;
}

const nothing = (): void => {};
/** The limiter's metrics when no registry is given. */
export const NO_METRICS: LimiterMetrics = Object.freeze({
  refused: nothing,
  monitored: nothing,
  fallbackDecision: nothing,
  storeUp: nothing,
  storeStart: () => 0,
  storeDone: nothing,
});

/** Seconds; a Redis round trip on a LAN is ~0.1–1 ms, the default timeout 200 ms. */
const STORE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1];

const byRegistry = new WeakMap<Registry, LimiterMetrics>();

function create(registry: Registry): LimiterMetrics {
  const prom = promClient();
  const refusals: Counter<'rule'> = instrument(registry, 'api_guard_rate_limit_refusals_total', (registers) =>
    new prom.Counter({ name: 'api_guard_rate_limit_refusals_total', help: 'Requests refused by the rate limiter, by the rule that refused them.', labelNames: ['rule'], registers }),
  );
  const monitored: Counter<'rule'> = instrument(registry, 'api_guard_rate_limit_monitored_total', (registers) =>
    new prom.Counter({ name: 'api_guard_rate_limit_monitored_total', help: 'Requests a monitor-mode rule would have refused (admitted), by rule.', labelNames: ['rule'], registers }),
  );
  const fallback: Counter = instrument(registry, 'api_guard_rate_limit_fallback_decisions_total', (registers) =>
    new prom.Counter({ name: 'api_guard_rate_limit_fallback_decisions_total', help: 'Requests decided by the in-process fallback limiter while the store was unavailable.', registers }),
  );
  const up: Gauge = instrument(registry, 'api_guard_rate_limit_store_up', (registers) => {
    const gauge = new prom.Gauge({ name: 'api_guard_rate_limit_store_up', help: '1 while the rate-limit store answers, 0 during an outage.', registers });
    gauge.set(1);
    return gauge;
  });
  const duration = fastHistogram(
    registry,
    'api_guard_rate_limit_store_duration_seconds',
    'Duration of rate-limit store calls that answer asynchronously (one per limited request), including failures and timeouts.',
    STORE_BUCKETS,
  ).series('', () => ({}));
  // One bound child per rule: labels() checks the label names on every call, a child does not.
  const byRule = (counter: Counter<'rule'>): ((rule: string) => void) => {
    const children = new Map<string, { inc(): void }>();
    return (rule) => {
      let child = children.get(rule);
      if (child === undefined) {
        child = counter.labels(rule);
        children.set(rule, child);
      }
      child.inc();
    };
  };
  return Object.freeze({
    refused: byRule(refusals),
    monitored: byRule(monitored),
    fallbackDecision: () => fallback.inc(),
    storeUp: (isUp: boolean) => up.set(isUp ? 1 : 0),
    storeStart: () => performance.now(),
    storeDone: (started: number) => duration.observe((performance.now() - started) / 1000),
  });
}

/** The instruments in `registry` (the `registry` option; created on first use), or NO_METRICS without one. */
export function limiterMetrics(given: unknown): LimiterMetrics {
  if (given === undefined) return NO_METRICS;
  if (!isRegistry(given)) {
    kit.fail('INVALID_OPTION', 'registry', 'expected a prom-client Registry (new Registry() from prom-client, or guard.metrics).');
  }
  const registry = given;
  let metrics = byRegistry.get(registry);
  if (metrics === undefined) {
    metrics = create(registry);
    byRegistry.set(registry, metrics);
  }
  return metrics;
}
