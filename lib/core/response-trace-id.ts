/**
 * The trace ID an error body carries. The trace middleware normally set it; when the mapper runs
 * without it (used alone) a random one is made and kept in res.locals so the log line and the body
 * still agree.
 */
import type { Response } from 'express';
import { newW3cTraceId } from './random-hex.js';
import { getTraceId } from './request-context.js';

/** `res.locals.traceId ?? getTraceId()`, else a new 32-hex ID stored in `res.locals.traceId`. */
export function responseTraceId(res: Response): string {
  const locals = res.locals as Record<string, unknown> | undefined;
  const fromLocals = locals?.traceId;
  if (typeof fromLocals === 'string' && fromLocals !== '') return fromLocals;
  const fromContext = getTraceId();
  if (fromContext !== undefined && fromContext !== '') return fromContext;
  const generated = newW3cTraceId();
  if (locals) locals.traceId = generated;
  return generated;
}
