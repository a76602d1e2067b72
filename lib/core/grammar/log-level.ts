/** ASP.NET Core log level names, lowest first; the index is the severity used in comparisons. */
import { ok, problem, type Parsed } from './parsed.js';

export type LogLevelName = 'Trace' | 'Debug' | 'Information' | 'Warning' | 'Error' | 'Critical' | 'None';

export const LOG_LEVELS: readonly LogLevelName[] = Object.freeze(['Trace', 'Debug', 'Information', 'Warning', 'Error', 'Critical', 'None']);

export const TRACE = 0;
export const DEBUG = 1;
export const INFORMATION = 2;
export const WARNING = 3;
export const ERROR = 4;
export const CRITICAL = 5;
export const NONE = 6;

export const LOG_LEVEL_HINT = `use one of ${LOG_LEVELS.join(', ')}`;

/** The canonical level for a name in any case (`warning` → `Warning`). */
export function parseLogLevel(text: unknown): Parsed<LogLevelName> {
  const index = levelIndex(text);
  return index === undefined ? problem(`is not a log level; ${LOG_LEVEL_HINT}`) : ok(LOG_LEVELS[index] as LogLevelName);
}

/** The severity index of a level name, ignoring case; undefined when not a level. */
export function levelIndex(name: unknown): number | undefined {
  if (typeof name !== 'string') return undefined;
  const lower = name.trim().toLowerCase();
  const index = LOG_LEVELS.findIndex((level) => level.toLowerCase() === lower);
  return index === -1 ? undefined : index;
}
