/**
 * How a guard middleware used alone answers a request it refuses (429, 403, 503): the JSON
 * envelope with the trace ID, as express-rate-limit and helmet answer their own refusals, instead
 * of `next(error)` reaching Express's final handler (an HTML page, and a stack on stderr).
 */
import type { NextFunction, Request, Response } from 'express';
import type { ApiError } from './api-error.js';
import { sendEnvelope } from './envelope.js';
import { responseTraceId } from './response-trace-id.js';
import { requestPath } from './safe-text.js';

/** Answers a refused request; headers (Retry-After, RateLimit*) are already set on `res`. */
export type RefusalHandler<E extends ApiError = ApiError> = (req: Request, res: Response, next: NextFunction, error: E) => void;

/** The default {@link RefusalHandler}: the issuetrak envelope, or RFC 9457 when Accept asks for it. */
export function answerRefusal(req: Request, res: Response, _next: NextFunction, error: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const input = { status: error.status, type: error.type, message: error.message, traceId: responseTraceId(res), instance: requestPath(req) };
  sendEnvelope(req, res, input, 'issuetrak', error.headers);
}
