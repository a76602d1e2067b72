/**
 * The terminal error handler: renders every error in the configured envelope, logs it with the trace
 * ID, and never answers twice. Written against node's own response API so it behaves the same under
 * Express 4 and 5.
 */
import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import { silentSink, type LogSink } from '../logging/log-sink.js';
import { ApiError, RateLimitError } from './api-error.js';
import { checkBoolean, checkOptionKeys, MiddlewareOptionsError } from './check-options.js';
import { exceptionDetails, loggedError } from './describe-error.js';
import {
  acceptsProblemExplicitly,
  ISSUETRAK_CONTENT_TYPE,
  issuetrakBody,
  PROBLEM_CONTENT_TYPE,
  problemBody,
  toSafeJson,
  type EnvelopeInput,
  type ErrorFormat,
} from './envelope.js';
import { isDevelopment, resolveEnvironment } from '../config/environment.js';
import { mapError } from './map-error.js';
import { responseTraceId } from './response-trace-id.js';
import { requestMethod, requestPath } from './safe-text.js';

/** Options for {@link errorMapper}. */
export type ErrorMapperOptions = Readonly<{
  /**
   * Body format: `issuetrak` (`{traceId, information}`) or `problem` (RFC 9457). A request whose
   * Accept header names `application/problem+json` gets `problem` either way. Defaults to `issuetrak`.
   */
  format?: ErrorFormat;
  /**
   * Adds the exception name, message and stack frames to 5xx bodies — only when `environment` is
   * Development; ignored (with one warning) elsewhere. Defaults to false.
   */
  includeDetails?: boolean;
  /**
   * Environment name; only `Development` (any case) enables `includeDetails`. Defaults to
   * ASPNETCORE_ENVIRONMENT, then DOTNET_ENVIRONMENT, then NODE_ENV, then `Production`.
   */
  environment?: string;
  /**
   * Where errors are logged: 5xx at Error with the full error, rate-limit refusals at Debug, other 4xx
   * at Information. Defaults to a sink
   * that writes only Error lines to `console.error`.
   */
  logger?: LogSink;
}>;

const KNOWN_OPTIONS = ['format', 'includeDetails', 'environment', 'logger'] as const;

// Headers describing the body the failed handler meant to send; they would lie about ours.
const STALE_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-range', 'content-disposition', 'etag', 'last-modified'];

const consoleErrorSink: LogSink = { ...silentSink, error: (message, meta) => console.error(message, meta ?? {}) };

function validate(options: ErrorMapperOptions | undefined): void {
  checkOptionKeys('errorMapper', options, KNOWN_OPTIONS);
  if (options === undefined) return;
  if (options.format !== undefined && options.format !== 'issuetrak' && options.format !== 'problem') {
    throw new MiddlewareOptionsError(`errorMapper(options): "format" must be "issuetrak" or "problem", got ${JSON.stringify(options.format)}.`);
  }
  checkBoolean('errorMapper', 'includeDetails', options.includeDetails);
  if (options.environment !== undefined && typeof options.environment !== 'string') {
    throw new MiddlewareOptionsError('errorMapper(options): "environment" must be a string such as "Development" or "Production".');
  }
  const logger = options.logger;
  if (logger !== undefined && (typeof logger?.error !== 'function' || typeof logger.info !== 'function')) {
    throw new MiddlewareOptionsError('errorMapper(options): "logger" must have debug/info/warn/error methods (a LogSink, or console).');
  }
}

function closeConnection(req: Request, res: Response): void {
  // A finished response is complete on the wire; closing would only kill the next keep-alive request.
  if (res.writableEnded) return;
  res.destroy();
  req.socket?.destroy();
}

/**
 * Express error handler rendering every error as an issuetrak or RFC 9457 envelope. Mount it last.
 * Throws {@link MiddlewareOptionsError} at construction for unknown or mistyped options.
 */
export function errorMapper(options?: ErrorMapperOptions): ErrorRequestHandler {
  validate(options);
  const format: ErrorFormat = options?.format ?? 'issuetrak';
  const logger = options?.logger ?? consoleErrorSink;
  const environment = options?.environment ?? resolveEnvironment().name;
  const includeDetails = options?.includeDetails === true && isDevelopment(environment);
  // A guard logger can say whether Debug is on, sparing the message of a line it would drop.
  const isEnabled = (logger as { isEnabled?: unknown }).isEnabled;
  const debugEnabled =
    typeof isEnabled === 'function' ? (): boolean => (isEnabled as (level: string) => boolean).call(logger, 'Debug') === true : (): boolean => true;
  if (options?.includeDetails === true && !includeDetails) {
    logger.warn(`errorMapper: includeDetails is ignored because the environment is "${environment}", not Development.`, {});
  }

  return function errorMapperMiddleware(err: unknown, req: Request, res: Response, _next: NextFunction): void {
    const traceId = responseTraceId(res);
    const method = requestMethod(req);
    const path = requestPath(req);

    if (res.headersSent) {
      logger.error(`Error after the response to ${method} ${path} had started; closing the connection`, {
        traceId,
        method,
        path,
        status: res.statusCode,
        error: loggedError(err),
      });
      closeConnection(req, res);
      return;
    }

    const mapped = mapError(err);
    if (mapped.status >= 500) {
      const meta = { traceId, method, path, status: mapped.status, type: mapped.type };
      logger.error(`${method} ${path} failed with ${mapped.status} ${mapped.type}`, { ...meta, error: loggedError(err) });
    } else if (err instanceof RateLimitError) {
      // The request line (Warning, with the rule) already records a refusal; under a flood a second
      // line per 429 would double the log volume, so this one is only for Debug.
      if (debugEnabled()) {
        logger.debug(`${method} ${path} answered ${mapped.status} ${mapped.type}: ${mapped.message}`, {
          traceId,
          method,
          path,
          status: mapped.status,
          type: mapped.type,
          rule: err.rule,
        });
      }
    } else {
      const meta = { traceId, method, path, status: mapped.status, type: mapped.type };
      const reason = err instanceof ApiError ? undefined : (err as { type?: unknown } | null)?.type;
      logger.info(`${method} ${path} answered ${mapped.status} ${mapped.type}: ${mapped.message}`, {
        ...meta,
        ...(typeof reason === 'string' ? { reason } : {}),
      });
    }

    const cause = err instanceof ApiError && err.cause !== undefined ? err.cause : err;
    const input: EnvelopeInput = {
      status: mapped.status,
      type: mapped.type,
      message: mapped.message,
      traceId,
      instance: path,
      ...(includeDetails && mapped.status >= 500 ? { exception: exceptionDetails(cause) } : {}),
    };
    const problem = format === 'problem' || acceptsProblemExplicitly(req.headers.accept);
    const body = toSafeJson(problem ? problemBody(input) : issuetrakBody(input));

    for (const name of STALE_HEADERS) res.removeHeader(name);
    res.statusCode = mapped.status;
    for (const [name, value] of Object.entries(mapped.headers)) {
      try {
        res.setHeader(name, value);
      } catch {
        logger.warn(`errorMapper: skipped invalid response header ${JSON.stringify(name.slice(0, 60))}`, { traceId });
      }
    }
    res.setHeader('Content-Type', problem ? PROBLEM_CONTENT_TYPE : ISSUETRAK_CONTENT_TYPE);
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.end(body);
  };
}
