/**
 * One log line per request, written when the response is done (or the client gave up). It hooks
 * the response's 'close' (emitted after 'finish' as well as on an abort) through the listener the
 * guard's parts share, so a request costs one hook and one line, nothing per chunk written.
 */
import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ERROR, getRequestContext, INFORMATION, LOG_LEVELS, onResponseDone, OptionKit, requestIp, requestPathOf, WARNING, type KeysEnum } from '../core/index.js';
import type { CategoryLogger } from './category-logger.js';
import type { GuardLogger } from './create-logger.js';

/** Options for {@link requestLogger}. */
export type RequestLoggerOptions = Readonly<{
  /** Where lines go; a GuardLogger is used through its `Http` category. */
  logger: GuardLogger | CategoryLogger;
  /**
   * Keep the query string in `path`, which is otherwise the canonical request path (it often carries
   * tokens or personal data). Defaults to false.
   */
  includeQuery?: boolean;
  /** The `client` field, e.g. an API key's hash. Defaults to `req.ip` (honours Express "trust proxy"). */
  clientKey?: (req: Request) => string | undefined;
}>;


const KEYS: KeysEnum<RequestLoggerOptions> = { logger: true, includeQuery: true, clientKey: true };
const kit: OptionKit = new OptionKit({ name: 'requestLogger', code: 'LOGGING', docs: 'logging.md' });

/** The canonical request path (the one Express routes on, as rules match it), with the query if asked. */
function pathOf(req: Request, includeQuery: boolean): string {
  const { path, search } = requestPathOf(req);
  return includeQuery ? path + search : path;
}

function bytesOf(res: Response): number | undefined {
  const length = res.getHeader('content-length');
  if (typeof length === 'number') return length;
  if (typeof length === 'string') {
    const n = Number(length);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Middleware logging method, path, status, duration, bytes, client and trace ID per request. */
export function requestLogger(options: RequestLoggerOptions): RequestHandler {
  const given = kit.object(options, KEYS);
  const source = given.logger;
  if (source === null || typeof source !== 'object' || typeof (source as CategoryLogger).isEnabled !== 'function') {
    kit.fail('INVALID_OPTION', 'logger', 'expected a logger from createLogger() (or one of its categories).');
  }
  const log: CategoryLogger =
    typeof (source as GuardLogger).forCategory === 'function' ? (source as GuardLogger).forCategory('Http') : (source as CategoryLogger);
  const includeQuery = kit.boolean(given.includeQuery, false, 'includeQuery');
  const clientKey = kit.func<(req: Request) => string | undefined>(given.clientKey, 'clientKey') ?? requestIp;
  const methods: Record<number, (message: string, meta?: Readonly<Record<string, unknown>>) => void> = {
    [INFORMATION]: log.info,
    [WARNING]: log.warn,
    [ERROR]: log.error,
  };

  return function requestLoggerMiddleware(req: Request, res: Response, next: NextFunction): void {
    // Nothing is written below Information, so skip the listener entirely when even Error is off.
    if (!log.isEnabled('Error')) return next();
    const start = performance.now();
    // The 'close' listener runs outside the request's async context, so capture the ID now.
    const context = getRequestContext();
    const traceId = (res.locals?.traceId as string | undefined) ?? context?.traceId;
    const spanId = context?.spanId;
    onResponseDone(res, (_res, finished) => {
      const aborted = !finished;
      const status = res.statusCode;
      const level = aborted || (status >= 400 && status < 500) ? WARNING : status >= 500 ? ERROR : INFORMATION;
      if (!log.isEnabled(LOG_LEVELS[level] as 'Information')) return;
      const durationMs = Math.round((performance.now() - start) * 100) / 100;
      const path = pathOf(req, includeQuery);
      let client: string | undefined;
      try {
        client = clientKey(req);
      } catch {
        client = undefined;
      }
      const rule: unknown = res.locals?.rateLimitRule;
      const message = aborted
        ? `${req.method} ${path} aborted by the client after ${durationMs} ms`
        : `${req.method} ${path} responded ${status} in ${durationMs} ms`;
      (methods[level] ?? log.info)(message, {
        method: req.method,
        path,
        status,
        durationMs,
        bytes: bytesOf(res),
        client,
        traceId,
        spanId,
        // Set by the rate limiter on a refusal; the error mapper logs those at Debug only.
        rule: typeof rule === 'string' ? rule : undefined,
        ...(aborted && { aborted: true }),
      });
    });
    next();
  };
}
