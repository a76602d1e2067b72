/** Public face of lib/logging (`express-api-guard/logging`): the winston logger from config, the request log and the startup log. */
export { createLogger, type CreateLoggerOptions, type GuardLogger } from './create-logger.js';
export { type CategoryLogger } from './category-logger.js';
export { requestLogger, type RequestLoggerOptions } from './request-logger.js';
export { startupLog, type StartupLogOptions } from './startup-log.js';
export { FILE_PATTERN } from './file-transport.js';
export { silentSink, LOG_LEVELS, type LogSink, type LogLevelName } from '../core/index.js';
