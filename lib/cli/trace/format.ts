/**
 * How a trace entry reads on a terminal:
 * `2026-11-27T22:41:53.123Z  Information  Http  GET /api/v2/x 200 3ms  {"status":200}`.
 */
import { escapeForTerminal, KEY_RULES_ONLY, type SecretPolicy } from '../../core/index.js';
import { type TraceEntry } from './log-entry.js';

const NO_TIME = '(no time)'.padEnd(24);

/**
 * `entry` with the secret policy applied again: lines written before a secret was configured (or by
 * another logger) are masked when shown.
 */
export function maskTraceEntry(entry: TraceEntry, policy: SecretPolicy): TraceEntry {
  const extra = entry.extra === undefined ? undefined : policy.redact(entry.extra);
  return {
    ...entry,
    message: policy.mask(entry.message),
    ...(extra !== null && typeof extra === 'object' ? { extra: extra as Record<string, unknown> } : {}),
  };
}

/** One readable line for `entry`, secrets masked by `policy`; control and bidi characters shown escaped. */
export function formatTraceEntry(raw: TraceEntry, policy: SecretPolicy = KEY_RULES_ONLY): string {
  const entry = maskTraceEntry(raw, policy);
  const time = entry.timestamp ?? NO_TIME;
  // A plain line that has a time starts with it already.
  if (entry.plain) return escapeForTerminal(entry.timestamp === undefined ? `${NO_TIME}  ${entry.message}` : entry.message);
  const parts = [time, (entry.level ?? '-').padEnd(11), entry.category ?? '-', entry.message];
  if (entry.extra) parts.push(JSON.stringify(entry.extra));
  return escapeForTerminal(parts.join('  '));
}
