/**
 * Rule modes: `Enforce` refuses a request over the limit; `Monitor` counts it and reports it but never
 * refuses (to roll a new limit out safely). Matched ignoring case and surrounding spaces.
 */
import { closest } from '../closest.js';
import { ok, problem, type Parsed } from './parsed.js';

export type RuleMode = 'Enforce' | 'Monitor';

export const RULE_MODES: readonly RuleMode[] = Object.freeze(['Enforce', 'Monitor']);
export const RULE_MODE_HINT = 'use "Enforce" (refuse over the limit; the default) or "Monitor" (count and log, never refuse)';

export function parseRuleMode(text: unknown): Parsed<RuleMode> {
  if (typeof text !== 'string') return problem(`is not a rule mode; ${RULE_MODE_HINT}`);
  const trimmed = text.trim();
  const found = RULE_MODES.find((mode) => mode.toLowerCase() === trimmed.toLowerCase());
  if (found !== undefined) return ok(found);
  const guess = trimmed === '' ? undefined : closest(trimmed, RULE_MODES);
  return problem(`is not a rule mode${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; ${RULE_MODE_HINT}`);
}
