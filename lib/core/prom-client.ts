/**
 * prom-client, an optional peer dependency, loaded on first use: an app that turns metrics off (or
 * uses only other folders of the package) never loads it (~80 module files with its
 * @opentelemetry/api and tdigest), and one that does not want metrics need not install it (4 packages,
 * ~5 MB). Shared by the metrics folder and the rate limiter's instruments.
 *
 * prom-client's types stay in this file's function bodies: what it exports is typed with our own
 * structural interfaces (MetricsRegistry, CounterInstrument, GaugeInstrument), so the emitted
 * declarations never import 'prom-client' (see metrics-registry.ts for why).
 */
import type * as PromClientModule from 'prom-client';
import { loadOptionalModule } from './load-module.js';
import type { MetricsRegistry } from './metrics-registry.js';

type PromClient = typeof PromClientModule;

/** What to do about it, in every message about prom-client missing. */
export const PROM_CLIENT_INSTALL = 'npm install prom-client';

/** Thrown where metrics are asked for and prom-client is not installed; `code` is stable. */
export class PromClientMissingError extends Error {
  override readonly name = 'PromClientMissingError';
  readonly code = 'ERR_PROM_CLIENT_MISSING';

  constructor(what: string) {
    super(`${what} needs prom-client, an optional peer dependency of express-api-guard that is not installed; run \`${PROM_CLIENT_INSTALL}\` in the application.`);
  }
}

let loaded: PromClient | undefined;

// A missing prom-client is not remembered: Node does not cache a failed require either, so an
// install made while the process runs is found by the next caller.
function load(): PromClient | undefined {
  return (loaded ??= loadOptionalModule<PromClient>('prom-client'));
}

function required(what: string): PromClient {
  const prom = load();
  if (prom === undefined) throw new PromClientMissingError(what);
  return prom;
}

/**
 * Whether prom-client can be loaded (it is, when it can). False when it is not installed; throws
 * when it is installed but fails to load (a broken install, whose error names what is wrong).
 */
export function promClientInstalled(): boolean {
  return load() !== undefined;
}

/** A new prom-client Registry; throws {@link PromClientMissingError} without prom-client. */
export function newRegistry(what: string): MetricsRegistry {
  return new (required(what).Registry)();
}

/** A counter as the guard uses one: incremented alone, or per label value through a bound child. */
export interface CounterInstrument {
  inc(value?: number): void;
  labels(...values: string[]): { inc(value?: number): void };
}

/** A gauge as the guard uses one. */
export interface GaugeInstrument {
  set(value: number): void;
}

/** Name, help text and label names of an instrument. */
export interface InstrumentSpec {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
}

// The metric already in `registry` under the name (made by another guard or limiter sharing it),
// else a new one of `kind`, registered there, with `init` run on it.
function instrument<T>(registry: MetricsRegistry, spec: InstrumentSpec, kind: 'Counter' | 'Gauge', init: ((made: T) => void) | undefined): T {
  const existing = registry.getSingleMetric(spec.name) as T | undefined;
  if (existing !== undefined) return existing;
  const Metric = required(`The metric ${spec.name}`)[kind];
  // prom-client registers into a structural MetricsRegistry as into its own (it calls registerMetric).
  const made = new Metric({ ...spec, labelNames: [...(spec.labelNames ?? [])], registers: [registry as PromClientModule.Registry] }) as T;
  init?.(made);
  return made;
}

/**
 * The counter `spec.name` in `registry`, created (and `init` run on it) when not there yet. Throws
 * {@link PromClientMissingError} without prom-client.
 */
export function counter(registry: MetricsRegistry, spec: InstrumentSpec, init?: (counter: CounterInstrument) => void): CounterInstrument {
  return instrument(registry, spec, 'Counter', init);
}

/** The gauge `spec.name` in `registry`, like {@link counter}. */
export function gauge(registry: MetricsRegistry, spec: InstrumentSpec, init?: (gauge: GaugeInstrument) => void): GaugeInstrument {
  return instrument(registry, spec, 'Gauge', init);
}
