/** Public face of lib/config: loading, validating and watching appsettings configuration. */
export { loadConfig, configFromFolder, type LoadConfigOptions, type ConfigFromFolderOptions, CONFIG_SECTIONS } from './load.js';
export { readConfigFolder, type ConfigFolder, type ConfigFolderProblem, type ReadConfigFolderOptions } from './folder.js';
export { type ConfigFileRead } from './json-file.js';
export { MAX_CONFIG_DEPTH } from './nesting.js';
export { watchConfig, type ConfigWatcher, type WatchConfigOptions } from './watch.js';
export { ConfigError, type ConfigErrorCode, type ConfigIssue } from './errors.js';
export { resolveEnvironment, isDevelopment, findEnvironmentFile, type ResolveEnvironmentOptions } from './environment.js';
export { parseConnectionString } from './connection-string.js';
export { parseConfigText } from './json-file.js';
export { parseConfigPath, CONFIG_PATH_HINT } from './config-path.js';
export type * from './types.js';
export { CONNECTION_STRING_NAMES, lookup as lookupIgnoringCase } from './config-object.js';
export { findSecretValues, type FoundSecret } from './secret-values.js';
export { findFileIgnoringCase } from './environment.js';
export { DEFAULTS as CONFIG_DEFAULTS } from './defaults.js';
