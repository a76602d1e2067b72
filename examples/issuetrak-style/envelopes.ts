/**
 * Issuetrak API v2 success envelopes. Errors use the guard's error mapper, so only the success
 * shapes live here: `{traceId, values}` and, for paged results, `{traceId, values, pagingInformation}`.
 */
import type { Response } from 'express';
import { getTraceId } from '../../lib/index.js';

export interface PagingInformation {
  readonly page: number;
  readonly itemTotal: number;
  readonly pageCount: number;
}

function traceIdOf(res: Response): string {
  const fromLocals: unknown = res.locals.traceId;
  return typeof fromLocals === 'string' ? fromLocals : (getTraceId() ?? '');
}

export function sendValues(res: Response, values: unknown, status = 200): void {
  res.status(status).json({ traceId: traceIdOf(res), values });
}

export function sendPage(res: Response, values: readonly unknown[], pagingInformation: PagingInformation): void {
  res.status(200).json({ traceId: traceIdOf(res), values, pagingInformation });
}
