/**
 * Which files in a logs folder can hold request lines: the daily files the guard writes
 * (`api-YYYY-MM-DD.log`, plus numbered overflow files) and rotated, gzipped copies (`*.gz`).
 * The `stdout/` startup logs carry no trace IDs and are left out.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface LogFile {
  readonly path: string;
  readonly name: string;
  readonly gzip: boolean;
  readonly mtimeMs: number;
  /** Start of the day in the file name (UTC), when the name carries a date. */
  readonly nameDate?: number;
}

const DAY_MS = 86_400_000;

function isLogName(name: string): boolean {
  if (name.endsWith('.gz')) return true;
  return name.startsWith('api-') && /\.log(\.\d+)?$/.test(name);
}

/** Lists the searchable files in `dir`, oldest first. Throws when `dir` cannot be read. */
export function listLogFiles(dir: string): LogFile[] {
  const files: LogFile[] = [];
  for (const name of readdirSync(dir)) {
    if (!isLogName(name)) continue;
    const path = join(dir, name);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      continue; // rotated away between readdir and stat
    }
    if (!stat.isFile()) continue;
    const dated = /(\d{4}-\d{2}-\d{2})/.exec(name);
    const nameDate = dated ? Date.parse(`${dated[1]}T00:00:00Z`) : Number.NaN;
    files.push({
      path,
      name,
      gzip: name.endsWith('.gz'),
      mtimeMs: stat.mtimeMs,
      ...(Number.isNaN(nameDate) ? {} : { nameDate }),
    });
  }
  return files.sort((a, b) => (a.nameDate ?? a.mtimeMs) - (b.nameDate ?? b.mtimeMs) || a.name.localeCompare(b.name));
}

/**
 * False when no line in the file can be at or after `cutoff`. Both tests are conservative: a file
 * last written before the cutoff holds only older lines, and a file named for a day that ended
 * more than a day before the cutoff (one day of slack for local-time file names) does too.
 */
export function mayHoldLinesSince(file: LogFile, cutoff: number): boolean {
  if (file.mtimeMs < cutoff) return false;
  if (file.nameDate !== undefined && file.nameDate + 2 * DAY_MS < cutoff) return false;
  return true;
}
