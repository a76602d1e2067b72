/**
 * How a trace entry reads on a terminal:
 * `2026-11-27T22:41:53.123Z  Information  Http  GET /api/v2/x 200 3ms  {"status":200}`.
 */
import { sanitizeForTerminal } from '../sanitize.js';
import { type TraceEntry } from './log-entry.js';

const NO_TIME = '(no time)'.padEnd(24);

/** One readable line for `entry`; control characters from the log are shown escaped. */
export function formatTraceEntry(entry: TraceEntry): string {
  const time = entry.timestamp ?? NO_TIME;
  // A plain line that has a time starts with it already.
  if (entry.plain) return sanitizeForTerminal(entry.timestamp === undefined ? `${NO_TIME}  ${entry.message}` : entry.message);
  const parts = [time, (entry.level ?? '-').padEnd(11), entry.category ?? '-', entry.message];
  if (entry.extra) parts.push(JSON.stringify(entry.extra));
  return sanitizeForTerminal(parts.join('  '));
}
