/**
 * What every layer shares: the grammar of config values and options, the option kit, the request
 * context and trace-ID fallback, the client address and TLS state as Express's "trust proxy" decides
 * them, the canonical request path, the secret policy, the error serializer, the terminal
 * sanitizer, error envelopes, LogSink and ApiError. Core imports nothing else of ours and one
 * third-party runtime module, parseurl: the URL reader Express itself routes with (a dependency of
 * every Express). prom-client and @opentelemetry/api, optional peers, are loaded by name when first
 * used, so any folder can use core without weight, and no declaration of core names them.
 */
export * from './grammar/index.js';
export { closest, levenshtein } from './closest.js';
export { OptionKit, OptionsError, DOCS_URL, type KeysEnum, type OptionScope, type OptionTrap } from './options.js';
export { silentSink, type LogSink } from './log-sink.js';
export { ApiError, RateLimitError, withoutStack, type ApiErrorOptions, type ApiErrorType, type RateLimitErrorDetails } from './api-error.js';
export {
  acceptsProblemExplicitly,
  issuetrakBody,
  problemBody,
  sendEnvelope,
  statusText,
  toSafeJson,
  ISSUETRAK_CONTENT_TYPE,
  PROBLEM_CONTENT_TYPE,
  type EnvelopeInput,
  type ErrorFormat,
  type ExceptionDetails,
  type InformationEntry,
  type IssuetrakErrorBody,
  type ProblemBody,
} from './envelope.js';
export { getRequestContext, getTraceId, runWithContext, type RequestContext } from './request-context.js';
export { responseTraceId } from './response-trace-id.js';
export { onResponseDone, type ResponseDone } from './response-done.js';
export { answerRefusal, type RefusalHandler } from './refusal.js';
export { newW3cTraceId, randomHex, randomUint64 } from './random-hex.js';
export { requestIp, requestIsSecure } from './request.js';
export { pathReadings, requestPathOf, UNLISTED_PATHS, type PathReadings, type RequestPath } from './request-path.js';
export { capText, isSafeClientMessage, requestMethod, requestPath, MAX_ECHOED_PATH } from './safe-text.js';
export { isSensitiveKey, isSecretSection, isSecretPath, MIN_MASKED_LENGTH, REDACTED } from './secrets.js';
export { createSecretPolicy, KEY_RULES_ONLY, redact, secretMasker, toSecretPolicy, type SecretPolicy } from './secret-policy.js';
export { serializeError, stackFrames, type SerializedError, type SerializeErrorOptions } from './error-serializer.js';
export { capLength, safeEntries, safeGet, safeInstanceOf, safeIsArray, safeKeys } from './safe-access.js';
export { escapeForTerminal } from './terminal-text.js';
export { DEFAULT_RULES, DEFAULT_STORE_TIMEOUT_MS, type RateLimitRule } from './default-rules.js';
export { loadModule, loadOptionalModule } from './load-module.js';
export { isRegistry, type MetricsRegistry, type RegistrableMetric } from './metrics-registry.js';
export {
  counter,
  gauge,
  newRegistry,
  promClientInstalled,
  PromClientMissingError,
  PROM_CLIENT_INSTALL,
  type CounterInstrument,
  type GaugeInstrument,
  type InstrumentSpec,
} from './prom-client.js';
export { fastHistogram, FastHistogram, type HistogramSeries } from './fast-histogram.js';
export { isDevelopment, resolveEnvironment, type EnvironmentSource, type ResolveEnvironmentOptions } from './environment.js';
