/**
 * The catch-all for unmatched routes. It hands a 404 ApiError to the error mapper rather than
 * answering itself, so 404s get the same envelope, Accept negotiation and log line as every error.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError, OptionKit, requestMethod, requestPath } from '../core/index.js';

const kit: OptionKit = new OptionKit({ name: 'notFound', code: 'ERRORS', docs: 'errors.md' });

/** Options for {@link notFound}. None yet; unknown keys throw so a future option is never silently dropped. */
export type NotFoundOptions = Readonly<Record<string, never>>;

/**
 * Express middleware answering every request that reaches it with 404 `NotFound`
 * (`No route matches GET /api/v2/x`, path without query, at most 200 characters). Mount it after the
 * routes and before {@link errorMapper}.
 */
export function notFound(options?: NotFoundOptions): RequestHandler {
  kit.object(options, []);
  return function notFoundMiddleware(req: Request, _res: Response, next: NextFunction): void {
    next(new ApiError(`No route matches ${requestMethod(req)} ${requestPath(req)}`, { status: 404, type: 'NotFound' }));
  };
}
