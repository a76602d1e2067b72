/**
 * What a refused request gets: Retry-After (whole seconds until the blocking window resets, at least
 * 1), the blocking rule in res.locals for the request log line, and the RateLimitError with the
 * configured message. Used alone, the limiter answers the refusal itself, so nothing else would log it:
 * it writes the line here. Behind a handler (the guard's) the refusal is logged where it is answered.
 */
import type { Request, Response } from 'express';
import { answerRefusal, RateLimitError, withoutStack } from '../core/index.js';
import { logRefusal } from './log-lines.js';
import type { RateLimitWindow } from './store.js';
import type { LimiterState } from './validate.js';

export function refusal(st: LimiterState, window: RateLimitWindow, resetsInMs: number, req: Request, res: Response): RateLimitError {
  const retryAfter = Math.max(1, Math.ceil(resetsInMs / 1000));
  res.setHeader('Retry-After', String(retryAfter));
  // The request logger puts the blocking rule on the request's line (the mapper logs the 429 at Debug).
  if (res.locals !== undefined) res.locals.rateLimitRule = window.name;
  const details = { rule: window.name, limit: window.limit, period: window.period, retryAfter };
  const error = withoutStack(() => new RateLimitError({ ...details, status: st.statusCode, message: st.message.format(details) }));
  if (st.handler === answerRefusal) logRefusal(st.logger, window, retryAfter, req);
  return error;
}
