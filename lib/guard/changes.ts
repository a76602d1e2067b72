/**
 * Which guard sections differ between two loaded configs, so a reload rebuilds only what changed
 * and the log line says what was applied.
 */
import type { ApiGuardConfig } from '../config/index.js';

export const GUARD_SECTIONS = ['RateLimiting', 'Logging', 'Tracing', 'Errors', 'Https', 'Metrics'] as const;
export type GuardSection = (typeof GUARD_SECTIONS)[number];

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** Changed guard sections, plus `Secrets` when any secret value changed (the log masker must learn it). */
export function changedSections(previous: ApiGuardConfig, next: ApiGuardConfig): Array<GuardSection | 'Secrets' | 'Environment'> {
  const changed: Array<GuardSection | 'Secrets' | 'Environment'> = GUARD_SECTIONS.filter((name) => !same(previous[name], next[name]));
  if (previous.environment !== next.environment) changed.push('Environment');
  if (!same([...previous.secretValues()].sort(), [...next.secretValues()].sort())) changed.push('Secrets');
  return changed;
}
