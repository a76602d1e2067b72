/**
 * Category loggers: the objects code logs through. Each holds a reference to its category's
 * precomputed minimum level, so a disabled call costs one comparison and `reconfigure()` changes
 * levels by updating those numbers in place.
 */
import {
  CRITICAL,
  DEBUG,
  ERROR,
  INFORMATION,
  levelIndex,
  LOG_LEVELS as LEVEL_NAMES,
  type LogLevelName,
  type LogSink,
  NONE,
  TRACE,
  WARNING,
} from '../core/index.js';

type Meta = Readonly<Record<string, unknown>>;

/** A logger bound to one category, e.g. `RateLimiting` or `Http`. */
export interface CategoryLogger extends LogSink {
  /** The category name written on each line. */
  readonly category: string;
  trace(message: string, meta?: Meta): void;
  critical(message: string, meta?: Meta): void;
  /** True when a line at `level` would be written; cheap enough to call per request. */
  isEnabled(level: LogLevelName): boolean;
}

/** The mutable minimum level of one category. */
export interface CategoryState {
  min: number;
}

/** What a category logger writes through. */
export type Emit = (level: number, category: string, message: string, meta: Meta | undefined) => void;

const INDEX: Readonly<Record<string, number>> = Object.fromEntries(LEVEL_NAMES.map((name, i) => [name, i]));

/** Builds the logger for `category`, reading its level from `state` on every call. */
export function createCategoryLogger(category: string, state: CategoryState, emit: Emit): CategoryLogger {
  const at =
    (level: number) =>
    (message: string, meta?: Meta): void => {
      if (level >= state.min) emit(level, category, message, meta);
    };
  return Object.freeze({
    category,
    trace: at(TRACE),
    debug: at(DEBUG),
    info: at(INFORMATION),
    warn: at(WARNING),
    error: at(ERROR),
    critical: at(CRITICAL),
    isEnabled(level: LogLevelName): boolean {
      const index = INDEX[level] ?? levelIndex(level) ?? NONE;
      return index < NONE && index >= state.min;
    },
  });
}
