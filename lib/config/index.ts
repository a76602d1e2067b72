/** Public face of lib/config: loading, validating and watching appsettings configuration. */
export { loadConfig, type LoadConfigOptions, CONFIG_SECTIONS } from './load.js';
export { watchConfig, type ConfigWatcher, type WatchConfigOptions } from './watch.js';
export { ConfigError, type ConfigErrorCode, type ConfigIssue } from './errors.js';
export { resolveEnvironment, isDevelopment, findEnvironmentFile, type ResolveEnvironmentOptions } from './environment.js';
export { parseConnectionString } from './connection-string.js';
export { parseConfigText } from './json-file.js';

export type * from './types.js';
export { CONNECTION_STRING_NAMES, lookup as lookupIgnoringCase } from './config-object.js';
export { findFileIgnoringCase } from './environment.js';
export { DEFAULTS as CONFIG_DEFAULTS } from './defaults.js';
