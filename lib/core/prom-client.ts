/**
 * prom-client, loaded on first use: an app that turns metrics off (or uses only other folders of the
 * package) never loads it (~80 module files with its @opentelemetry/api and tdigest). Shared by the
 * metrics folder and the rate limiter's instruments.
 */
import type * as PromClientModule from 'prom-client';
import type { Metric, Registry } from 'prom-client';
import { loadModule } from './load-module.js';

export type PromClient = typeof PromClientModule;

let loaded: PromClient | undefined;

export function promClient(): PromClient {
  return (loaded ??= loadModule<PromClient>('prom-client'));
}

/** The metric `name` already in `registry` (made by another guard or limiter sharing it), else `make()`. */
export function instrument<T extends Metric>(registry: Registry, name: string, make: (registers: Registry[]) => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make([registry]);
}

/** A prom-client Registry check that does not need prom-client loaded (a caller may use another copy of it). */
export function isRegistry(value: unknown): value is Registry {
  const candidate = value as Registry | null;
  return typeof value === 'object' && candidate !== null && typeof candidate.getSingleMetric === 'function' && typeof candidate.metrics === 'function';
}
