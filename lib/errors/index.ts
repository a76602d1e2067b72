/** Public face of lib/errors: error envelopes, the error mapper and the 404 handler. */
export { ApiError, RateLimitError } from './api-error.js';
export type { ApiErrorOptions, ApiErrorType, RateLimitErrorDetails } from './api-error.js';
export { errorMapper } from './error-mapper.js';
export type { ErrorMapperOptions } from './error-mapper.js';
export { notFound } from './not-found.js';
export type { NotFoundOptions } from './not-found.js';
export { MiddlewareOptionsError } from './check-options.js';
export { mapError, PROCESSING_MESSAGE } from './map-error.js';
export type { MappedError } from './map-error.js';
export { ISSUETRAK_CONTENT_TYPE, PROBLEM_CONTENT_TYPE } from './envelope.js';
export type { ErrorFormat, ExceptionDetails, InformationEntry, IssuetrakErrorBody, ProblemBody } from './envelope.js';
