/**
 * Fills a partial `Logging` section with the documented defaults and rejects values that
 * winston-daily-rotate-file would otherwise ignore silently (a bad MaxSize means no rotation).
 */
import { resolve } from 'node:path';
import { CONFIG_DEFAULTS as DEFAULTS, type LoggingConfig } from '../config/index.js';
import { DOCS_URL, isFileSize, isMaxFiles, OptionsError } from '../core/index.js';

/** The `Logging` defaults, as in appsettings.json (the config loader's own, frozen copy). */
export const LOGGING_DEFAULTS: LoggingConfig = Object.freeze({
  ...DEFAULTS.Logging,
  LogLevel: Object.freeze({ ...DEFAULTS.Logging.LogLevel }),
  File: Object.freeze({ ...DEFAULTS.Logging.File }),
} as LoggingConfig);

/**
 * The OptionsError for a bad `Logging` value (`path` e.g. `LogLevel.Default`). Its codes and messages
 * predate OptionsError and are kept as they were: the message is exactly `Logging.<path>: <text>`,
 * without the `(code; see …)` suffix other OptionsErrors add (the link is in `help`).
 */
export function loggingError(code: 'ERR_LOGGING_OPTIONS' | 'ERR_LOG_LEVEL', path: string, text: string): OptionsError {
  const message = `Logging.${path}: ${text}`;
  const error = new OptionsError(code, `Logging.${path}`, message, `${DOCS_URL}logging.md`);
  error.message = message;
  return error;
}

function fail(path: string, message: string): never {
  throw loggingError('ERR_LOGGING_OPTIONS', path, message);
}

/** A complete LoggingConfig with an absolute Directory; throws OptionsError (code ERR_LOGGING_OPTIONS). */
export function normalizeLogging(logging: Partial<LoggingConfig> | undefined): LoggingConfig {
  const input = logging ?? {};
  const logLevel = { ...LOGGING_DEFAULTS.LogLevel, ...(input.LogLevel ?? {}) };
  const file = { ...LOGGING_DEFAULTS.File, ...(input.File ?? {}) };
  const maxSize: unknown = file.MaxSize;
  // The loader's checks, so a value loadConfig accepts never fails here at startup (or the reverse).
  if (typeof maxSize !== 'string' || !isFileSize(maxSize)) {
    fail('File.MaxSize', `${JSON.stringify(maxSize)} is not a size; write a number with k, m or g, e.g. "20m".`);
  }
  const maxFiles: unknown = file.MaxFiles;
  if (!isMaxFiles(maxFiles)) {
    fail('File.MaxFiles', `${JSON.stringify(maxFiles)} is not a file count or age; write e.g. "14d" (days) or "30" (files).`);
  }
  const directory: unknown = input.Directory ?? LOGGING_DEFAULTS.Directory;
  if (typeof directory !== 'string' || directory.trim() === '') {
    fail('Directory', 'must be a folder path, e.g. "logs".');
  }
  for (const key of ['DetailedTrace', 'Console'] as const) {
    if (input[key] !== undefined && typeof input[key] !== 'boolean') fail(key, 'must be true or false.');
  }
  return {
    LogLevel: logLevel,
    DetailedTrace: input.DetailedTrace ?? LOGGING_DEFAULTS.DetailedTrace,
    Directory: resolve(directory),
    File: { MaxSize: maxSize.trim().toLowerCase(), MaxFiles: String(maxFiles).trim().toLowerCase() },
    Console: input.Console ?? LOGGING_DEFAULTS.Console,
  };
}
