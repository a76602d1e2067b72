/**
 * Finds every log line of one trace across a logs folder, rotated and gzipped files included.
 */
import { basename } from 'node:path';
import { entryFromPlainLine, entryFromRecord, lineTraceId, parseJsonLine, type TraceEntry } from './log-entry.js';
import { listLogFiles, mayHoldLinesSince } from './log-files.js';
import { readLines } from './read-lines.js';

export type { TraceEntry } from './log-entry.js';

export interface TraceSearchOptions {
  /** The logs folder to search (the guard's `Logging.Directory`). */
  readonly logsDir: string;
  /** The trace ID; compared case-insensitively. */
  readonly traceId: string;
  /** Only lines at or after this time (epoch ms). Defaults to no limit. */
  readonly since?: number;
}

export interface TraceSearchResult {
  /** Matching lines in time order (a line without a time sorts with the matching line before it). */
  readonly entries: readonly TraceEntry[];
  /** Files that were read. */
  readonly filesSearched: number;
  /** Files left out by `since`. */
  readonly filesSkipped: number;
  /** Problems with single files (e.g. a truncated .gz); the search went on without them. */
  readonly warnings: readonly string[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Searches `logsDir`; throws only when the folder itself cannot be read. */
export async function findTraceEntries(options: Readonly<TraceSearchOptions>): Promise<TraceSearchResult> {
  const wanted = options.traceId.toLowerCase();
  const mentions = new RegExp(escapeRegExp(options.traceId), 'i');
  const files = listLogFiles(options.logsDir);
  const found: { entry: TraceEntry; order: number; sortTime: number }[] = [];
  const warnings: string[] = [];
  let searched = 0;
  let order = 0;

  for (const file of files) {
    if (options.since !== undefined && !mayHoldLinesSince(file, options.since)) continue;
    searched++;
    const name = basename(file.path);
    let lineNo = 0;
    let lastTime = Number.NaN;
    try {
      for await (const line of readLines(file.path, file.gzip)) {
        lineNo++;
        // Cheap test first: most lines belong to other requests.
        if (!mentions.test(line)) continue;
        const record = parseJsonLine(line);
        let entry: TraceEntry;
        if (record) {
          const id = lineTraceId(record);
          entry = entryFromRecord(record, name, lineNo);
          if (!Number.isNaN(entry.time)) lastTime = entry.time;
          if (id !== undefined && id.toLowerCase() !== wanted) continue;
        } else {
          entry = entryFromPlainLine(line, name, lineNo);
          if (!Number.isNaN(entry.time)) lastTime = entry.time;
        }
        const sortTime = Number.isNaN(entry.time) ? lastTime : entry.time;
        if (options.since !== undefined && !Number.isNaN(sortTime) && sortTime < options.since) continue;
        found.push({ entry, order: order++, sortTime });
      }
    } catch (err) {
      const code = (err as { code?: string }).code;
      warnings.push(`${name}: could not be read to the end (${code ?? (err as Error).message}); lines before the damage were searched`);
    }
  }

  const known = (t: number): number => (Number.isNaN(t) ? Number.POSITIVE_INFINITY : t);
  found.sort((a, b) => known(a.sortTime) - known(b.sortTime) || a.order - b.order);
  return {
    entries: found.map((f) => f.entry),
    filesSearched: searched,
    filesSkipped: files.length - searched,
    warnings,
  };
}
