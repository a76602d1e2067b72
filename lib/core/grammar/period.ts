/**
 * Rule periods: `<number><s|m|h|d>` in whole seconds (rate-limit headers carry seconds), at least
 * one second, e.g. `1s`, `10m`, `1.5h`, `12h`, `1d`.
 */
import { ok, problem, type Parsed } from './parsed.js';

const PERIOD = /^\s*(\d{1,15}(?:\.\d{1,9})?)\s*([smhd])\s*$/i;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export const PERIOD_HINT = 'use a number followed by s, m, h or d (e.g. "10m")';

/** A parsed period: its length and its canonical spelling (`10M ` → `10m`). */
export interface Period {
  readonly ms: number;
  readonly text: string;
}

export function parsePeriod(text: unknown): Parsed<Period> {
  const match = typeof text === 'string' ? PERIOD.exec(text) : null;
  if (match === null) return problem(`is not a period; ${PERIOD_HINT}`);
  const unit = (match[2] ?? 's').toLowerCase() as keyof typeof UNIT_MS;
  const ms = Math.round(Number(match[1]) * UNIT_MS[unit]);
  if (!Number.isSafeInteger(ms) || ms < 1000) return problem(`is not a period of at least one second; ${PERIOD_HINT}`);
  if (ms % 1000 !== 0) return problem(`is not a whole number of seconds; ${PERIOD_HINT}`);
  return ok({ ms, text: `${match[1]}${unit}` });
}
