/** Public face of lib/config: loading, validating and watching appsettings configuration. */
export { loadConfig, type LoadConfigOptions, CONFIG_SECTIONS } from './load.js';
export { watchConfig, type ConfigWatcher, type WatchConfigOptions } from './watch.js';
export { ConfigError, type ConfigErrorCode, type ConfigIssue } from './errors.js';
export { resolveEnvironment, isDevelopment, findEnvironmentFile, type ResolveEnvironmentOptions } from './environment.js';
export { parseConnectionString } from './connection-string.js';
export { parseConfigText } from './json-file.js';
export { parsePeriod, parseEndpoint, isPeriod, normalizeLogLevel, type EndpointPattern, HTTP_METHODS } from './values.js';
export { DEFAULT_RULES } from './defaults.js';
export { redact, isSensitiveKey, isSecretSection, secretMasker, REDACTED } from './redact.js';
export type * from './types.js';
