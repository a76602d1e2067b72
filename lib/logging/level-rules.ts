/**
 * ASP.NET Core log levels and their rules: per-category minimum levels chosen by the longest
 * matching category prefix (case-insensitive, as Microsoft.Extensions.Logging does), `Default`
 * for the rest, and `DetailedTrace` switching everything to Trace.
 */
import { LOG_LEVELS as LEVEL_NAMES, levelIndex, INFORMATION, TRACE, type LogLevelName } from '../core/index.js';
import { loggingError } from './logging-options.js';


/** Winston level names (lower-case ASP.NET names); winston wants smaller numbers for more severe. */
export const WINSTON_LEVELS: Readonly<Record<string, number>> = Object.freeze({
  critical: 0,
  error: 1,
  warning: 2,
  information: 3,
  debug: 4,
  trace: 5,
});

/** Winston level name for each severity index. */
export const WINSTON_NAME: readonly string[] = ['trace', 'debug', 'information', 'warning', 'error', 'critical'];

/** A compiled `LogLevel` section: answers the minimum level of any category. */
export interface LevelRules {
  readonly detailedTrace: boolean;
  /** Canonical `{ category: LevelName }` as given (for logging a change). */
  readonly table: Readonly<Record<string, LogLevelName>>;
  minimumFor(category: string): number;
}

/** Throws an OptionsError (code ERR_LOG_LEVEL) naming the bad entry when a level is not an ASP.NET level name. */
export function compileLevels(logLevel: Readonly<Record<string, unknown>>, detailedTrace: boolean): LevelRules {
  const table: Record<string, LogLevelName> = {};
  const prefixes: { prefix: string; min: number }[] = [];
  let defaultMin = INFORMATION;
  for (const [category, value] of Object.entries(logLevel)) {
    const index = levelIndex(value);
    if (index === undefined) {
      throw loggingError('ERR_LOG_LEVEL', `LogLevel.${category}`, `${JSON.stringify(value)} is not a log level; use one of ${LEVEL_NAMES.join(', ')}.`);
    }
    table[category] = LEVEL_NAMES[index] as LogLevelName;
    if (category.toLowerCase() === 'default') defaultMin = index;
    else prefixes.push({ prefix: category.toLowerCase(), min: index });
  }
  // Longest prefix first, so the first match is the most specific rule.
  prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
  return {
    detailedTrace,
    table,
    minimumFor(category: string): number {
      if (detailedTrace) return TRACE;
      const lower = category.toLowerCase();
      for (const rule of prefixes) {
        if (lower.startsWith(rule.prefix)) return rule.min;
      }
      return defaultMin;
    },
  };
}
