/**
 * The terminal error handler: renders every error in the configured envelope, logs it with the trace
 * ID, and never answers twice. Written against node's own response API so it behaves the same under
 * Express 4 and 5.
 */
import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import {
  ApiError,
  type EnvelopeInput,
  type ErrorFormat,
  isDevelopment,
  type KeysEnum,
  type LogSink,
  OptionKit,
  RateLimitError,
  requestMethod,
  requestPath,
  resolveEnvironment,
  responseTraceId,
  sendEnvelope,
  silentSink,
} from '../core/index.js';
import { exceptionDetails, loggedError } from './describe-error.js';
import { mapError } from './map-error.js';

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

const KEYS: KeysEnum<ErrorMapperOptions> = { format: true, includeDetails: true, environment: true, logger: true };
const kit: OptionKit = new OptionKit({ name: 'errorMapper', code: 'ERRORS', docs: 'errors.md' });

const consoleErrorSink: LogSink = { ...silentSink, error: (message, meta) => console.error(message, meta ?? {}) };

interface Resolved {
  readonly format: ErrorFormat;
  readonly includeDetails: boolean;
  readonly environment: string | undefined;
  readonly logger: LogSink;
}

function resolve(options: ErrorMapperOptions | undefined): Resolved {
  const given = kit.object(options, KEYS);
  const environment = given.environment;
  if (environment !== undefined && typeof environment !== 'string') {
    kit.fail('INVALID_OPTION', 'environment', 'expected an environment name such as "Development" or "Production".');
  }
  return {
    format: kit.oneOf(given.format, 'issuetrak', ['issuetrak', 'problem'], 'format'),
    includeDetails: kit.boolean(given.includeDetails, false, 'includeDetails'),
    environment: environment as string | undefined,
    logger: kit.sink(given.logger, consoleErrorSink, 'logger'),
  };
}

function closeConnection(req: Request, res: Response): void {
  // A finished response is complete on the wire; closing would only kill the next keep-alive request.
  if (res.writableEnded) return;
  res.destroy();
  req.socket?.destroy();
}

/**
 * Express error handler rendering every error as an issuetrak or RFC 9457 envelope. Mount it last.
 * Throws {@link OptionsError} at construction for unknown or mistyped options.
 */
export function errorMapper(options?: ErrorMapperOptions): ErrorRequestHandler {
  const resolved = resolve(options);
  const { format, logger } = resolved;
  const environment = resolved.environment ?? resolveEnvironment().name;
  const includeDetails = resolved.includeDetails && isDevelopment(environment);
  // A guard logger can say whether Debug is on, sparing the message of a line it would drop.
  const isEnabled = (logger as { isEnabled?: unknown }).isEnabled;
  const debugEnabled =
    typeof isEnabled === 'function' ? (): boolean => (isEnabled as (level: string) => boolean).call(logger, 'Debug') === true : (): boolean => true;
  if (resolved.includeDetails && !includeDetails) {
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
    const skipped = sendEnvelope(req, res, input, format, mapped.headers);
    for (const name of skipped) logger.warn(`errorMapper: skipped invalid response header ${JSON.stringify(name)}`, { traceId });
  };
}
