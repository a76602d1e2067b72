/**
 * The limiter's per-request log lines: a refusal (when the limiter answers it itself) and the first
 * monitored request per client and window. Both name the rule and its limit; the client appears as its
 * key, so an API key shows hashed, never as sent.
 */
import type { Request, Response } from 'express';
import { getTraceId, requestPath, type LogSink } from '../core/index.js';
import type { CompiledRule } from './rule-set.js';
import type { RateLimitWindow } from './store.js';

/** Information: `Rate limit: refused GET /x: rule "burst" (20 per 1s), retry after 1 s`. */
export function logRefusal(logger: LogSink, window: RateLimitWindow, retryAfter: number, req: Request): void {
  const path = requestPath(req);
  logger.info(`Rate limit: refused ${req.method} ${path}: rule "${window.name}" (${window.limit} per ${window.period}), retry after ${retryAfter} s`, {
    rule: window.name,
    limit: window.limit,
    period: window.period,
    retryAfter,
    method: req.method,
    path,
  });
}

/**
 * Warning: `Rate limit monitor: rule "trial" (60 per 1m) would refuse client 203.0.113.7 until its
 * window resets (Monitor mode: admitted). First over the limit: GET /api/v2/tickets`, with the fields
 * rule, limit, period, mode, client, count, method, path and traceId.
 */
export function logMonitored(logger: LogSink, window: CompiledRule, key: string, req: Request, res: Response): void {
  const path = requestPath(req);
  const fromLocals = (res.locals as Record<string, unknown> | undefined)?.traceId;
  const traceId = typeof fromLocals === 'string' ? fromLocals : getTraceId();
  logger.warn(
    `Rate limit monitor: rule "${window.name}" (${window.limit} per ${window.period}) would refuse client ${key} until its window resets (Monitor mode: admitted). First over the limit: ${req.method} ${path}`,
    {
      rule: window.name,
      limit: window.limit,
      period: window.period,
      mode: window.mode,
      client: key,
      count: window.limit + 1,
      method: req.method,
      path,
      ...(traceId === undefined ? {} : { traceId }),
    },
  );
}
