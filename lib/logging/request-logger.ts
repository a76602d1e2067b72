/**
 * One log line per request, written when the response is done (or the client gave up). It listens
 * for a single 'close' event, which Node emits after 'finish' as well as on an abort, so a request
 * costs one listener and one line, nothing per chunk written.
 */
import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { getTraceId } from '../trace/context.js';
import type { CategoryLogger } from './category-logger.js';
import type { GuardLogger } from './create-logger.js';
import { ERROR, INFORMATION, WARNING } from './levels.js';

/** Options for {@link requestLogger}. */
export type RequestLoggerOptions = Readonly<{
  /** Where lines go; a GuardLogger is used through its `Http` category. */
  logger: GuardLogger | CategoryLogger;
  /** Keep the query string in `path` (it often carries tokens or personal data). Defaults to false. */
  includeQuery?: boolean;
  /** The `client` field, e.g. an API key's hash. Defaults to `req.ip` (honours Express "trust proxy"). */
  clientKey?: (req: Request) => string | undefined;
}>;

const LEVEL_NAME = ['Trace', 'Debug', 'Information', 'Warning', 'Error', 'Critical'] as const;

function pathOf(url: string, includeQuery: boolean): string {
  if (includeQuery) return url;
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
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

/**
 * `req.ip`, without its cost in the common case: with "trust proxy" off (Express's default) req.ip
 * is the socket's address, but the getter still parses X-Forwarded-For into arrays on every call,
 * a visible share of a request line's cost. Any other setting, or an `ip` a middleware set on the
 * request, goes through req.ip as before.
 */
function defaultClient(req: Request): string | undefined {
  const app = req.app as { get?: (setting: string) => unknown } | undefined;
  if (typeof app?.get === 'function' && app.get('trust proxy') === false && !Object.prototype.hasOwnProperty.call(req, 'ip')) {
    return req.socket?.remoteAddress;
  }
  return req.ip ?? req.socket?.remoteAddress;
}

/** Middleware logging method, path, status, duration, bytes, client and trace ID per request. */
export function requestLogger(options: RequestLoggerOptions): RequestHandler {
  const source: unknown = options?.logger;
  if (source === null || typeof source !== 'object' || typeof (source as CategoryLogger).isEnabled !== 'function') {
    throw Object.assign(new TypeError('requestLogger(options): options.logger must be a logger from createLogger().'), {
      code: 'ERR_REQUEST_LOGGER_OPTIONS',
    });
  }
  const log: CategoryLogger =
    typeof (source as GuardLogger).forCategory === 'function' ? (source as GuardLogger).forCategory('Http') : (source as CategoryLogger);
  const includeQuery = options.includeQuery === true;
  const clientKey = options.clientKey ?? defaultClient;
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
    const traceId = (res.locals?.traceId as string | undefined) ?? getTraceId();
    // 'close' is emitted exactly once per response, so a plain listener is enough (no once wrapper).
    res.on('close', () => {
      const aborted = !res.writableFinished;
      const status = res.statusCode;
      const level = aborted || (status >= 400 && status < 500) ? WARNING : status >= 500 ? ERROR : INFORMATION;
      if (!log.isEnabled(LEVEL_NAME[level] as 'Information')) return;
      const durationMs = Math.round((performance.now() - start) * 100) / 100;
      const path = pathOf(req.originalUrl ?? req.url, includeQuery);
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
        // Set by the rate limiter on a refusal; the error mapper logs those at Debug only.
        rule: typeof rule === 'string' ? rule : undefined,
        ...(aborted && { aborted: true }),
      });
    });
    next();
  };
}
