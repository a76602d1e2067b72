/**
 * Turns one log line into a trace entry. The guard writes JSON lines (winston), but operators also
 * concatenate, grep and hand-edit logs, so the reader is tolerant: several common field spellings,
 * and a plain-text line that mentions the trace ID is kept as it is.
 */

/** One log line that belongs to the trace. */
export interface TraceEntry {
  /** ISO-8601 when the line's time could be read, otherwise undefined. */
  readonly timestamp?: string;
  /** Epoch milliseconds used for ordering; NaN when unknown. */
  readonly time: number;
  readonly level?: string;
  readonly category?: string;
  readonly message: string;
  /** The line's other fields (JSON lines only), without the ones shown above and the trace ID. */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** The log file (base name) and 1-based line number. */
  readonly file: string;
  readonly line: number;
  /** True for a line that was not JSON and is shown verbatim. */
  readonly plain?: boolean;
}

const TIME_KEYS = ['timestamp', 'time', '@t', 'ts', 'Timestamp', 'date'];
const LEVEL_KEYS = ['level', 'Level', '@l', 'severity'];
const CATEGORY_KEYS = ['category', 'Category', 'SourceContext', 'logger', 'name'];
const MESSAGE_KEYS = ['message', 'msg', '@m', 'Message'];
const TRACE_KEYS = ['traceId', 'TraceId', 'trace_id', 'traceid', 'TraceIdentifier'];

// winston and pino level names mapped onto the ASP.NET Core names the rest of the guard uses.
const LEVEL_NAMES: Readonly<Record<string, string>> = {
  silly: 'Trace', verbose: 'Trace', trace: 'Trace', '10': 'Trace',
  debug: 'Debug', '20': 'Debug',
  info: 'Information', information: 'Information', http: 'Information', '30': 'Information',
  warn: 'Warning', warning: 'Warning', '40': 'Warning',
  error: 'Error', '50': 'Error',
  critical: 'Critical', crit: 'Critical', fatal: 'Critical', '60': 'Critical',
};

const LEADING_TIME = /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)/;

function pick(record: Record<string, unknown>, keys: readonly string[]): [string, unknown] | undefined {
  for (const key of keys) if (key in record) return [key, record[key]];
  return undefined;
}

function toTime(value: unknown): number {
  if (typeof value === 'number') return value > 1e12 ? value : value * 1000;
  if (typeof value === 'string') return Date.parse(value.replace(',', '.'));
  return Number.NaN;
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The trace ID a JSON line carries, if any. */
export function lineTraceId(record: Record<string, unknown>): string | undefined {
  const found = pick(record, TRACE_KEYS);
  return found && typeof found[1] === 'string' ? found[1] : undefined;
}

/** Parses a JSON line into its parts; undefined when the line is not a JSON object. */
export function parseJsonLine(line: string): Record<string, unknown> | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the entry for a JSON log record. */
export function entryFromRecord(record: Record<string, unknown>, file: string, line: number): TraceEntry {
  const rest: Record<string, unknown> = { ...record };
  const take = (keys: readonly string[]): unknown => {
    const found = pick(rest, keys);
    if (!found) return undefined;
    delete rest[found[0]];
    return found[1];
  };
  const rawTime = take(TIME_KEYS);
  const rawLevel = text(take(LEVEL_KEYS));
  const category = text(take(CATEGORY_KEYS));
  const message = text(take(MESSAGE_KEYS)) ?? '';
  take(TRACE_KEYS);
  const time = toTime(rawTime);
  const level = rawLevel === undefined ? undefined : (LEVEL_NAMES[rawLevel.toLowerCase()] ?? rawLevel);
  return {
    ...(Number.isNaN(time) ? {} : { timestamp: new Date(time).toISOString() }),
    time,
    ...(level === undefined ? {} : { level }),
    ...(category === undefined ? {} : { category }),
    message,
    ...(Object.keys(rest).length > 0 ? { extra: rest } : {}),
    file,
    line,
  };
}

/** Builds the entry for a line that is not JSON, reading a leading timestamp when there is one. */
export function entryFromPlainLine(raw: string, file: string, line: number): TraceEntry {
  const match = LEADING_TIME.exec(raw);
  const time = match ? toTime(match[1]) : Number.NaN;
  return {
    ...(Number.isNaN(time) ? {} : { timestamp: new Date(time).toISOString() }),
    time,
    message: raw,
    file,
    line,
    plain: true,
  };
}
