/** Logging: the winston logger from config, the request log and the startup log. */
export { createLogger, type CreateLoggerOptions, type GuardLogger } from './create-logger.js';
export { type CategoryLogger } from './category-logger.js';
export { requestLogger, type RequestLoggerOptions } from './request-logger.js';
export { startupLog, type StartupLogOptions } from './startup-log.js';
export { LOGGING_DEFAULTS } from './logging-options.js';
export { LEVEL_NAMES } from './levels.js';
export { FILE_PATTERN } from './file-transport.js';
export { silentSink, type LogSink } from './log-sink.js';
