/** Public face of lib/errors: error envelopes, the error mapper and the 404 handler. */
export { ApiError, RateLimitError, OptionsError, ISSUETRAK_CONTENT_TYPE, PROBLEM_CONTENT_TYPE } from '../core/index.js';
export type {
  ApiErrorOptions,
  ApiErrorType,
  RateLimitErrorDetails,
  ErrorFormat,
  ExceptionDetails,
  InformationEntry,
  IssuetrakErrorBody,
  ProblemBody,
} from '../core/index.js';
export { errorMapper, type ErrorMapperOptions } from './error-mapper.js';
export { notFound, type NotFoundOptions } from './not-found.js';
export { mapError, PROCESSING_MESSAGE, type MappedError } from './map-error.js';
