/**
 * The terminal error handler: renders every error in the configured envelope, logs it with the trace
 * ID, and never answers twice. Written against node's own response API so it behaves the same under
 * Express 4 and 5.
 */
import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import {
  ApiError,
  isDevelopment,
  OptionKit,
  RateLimitError,
  requestMethod,
  requestPath,
  resolveEnvironment,
  responseTraceId,
  safeGet,
  safeInstanceOf,
  sendEnvelope,
  serializeError,
  silentSink,
  stackFrames,
  type EnvelopeInput,
  type ErrorFormat,
  type ExceptionDetails,
  type KeysEnum,
  type LogSink,
  type SecretPolicy,
} from '../core/index.js';
import { mapError, PROCESSING_MESSAGE } from './map-error.js';

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
  /**
   * The secret policy for bodies and log lines: `config.secretPolicy()` or a list of secret values.
   * A known secret inside a client-facing message, header or path is sent as `***`. Defaults to the
   * key rules alone (`Password=…`, `"token":"…"`, URL passwords).
   */
  secrets?: SecretPolicy | readonly string[];
}>;

const KEYS: KeysEnum<ErrorMapperOptions> = { format: true, includeDetails: true, environment: true, logger: true, secrets: true };
const kit: OptionKit = new OptionKit({ name: 'errorMapper', code: 'ERRORS', docs: 'errors.md' });

const consoleErrorSink: LogSink = { ...silentSink, error: (message, meta) => console.error(message, meta ?? {}) };

interface Resolved {
  readonly format: ErrorFormat;
  readonly includeDetails: boolean;
  readonly environment: string | undefined;
  readonly logger: LogSink;
  readonly policy: SecretPolicy;
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
    policy: kit.secrets(given.secrets, 'secrets'),
  };
}

function closeConnection(req: Request, res: Response): void {
  // A finished response is complete on the wire; closing would only kill the next keep-alive request.
  if (res.writableEnded) return;
  res.destroy();
  req.socket?.destroy();
}

/** The Development-only body details: name, message and up to 20 stack frames, masked. */
function exceptionDetails(err: unknown, policy: SecretPolicy): ExceptionDetails {
  const serialized = serializeError(err, { policy, stack: true, depth: 1 });
  return { name: serialized.name, message: serialized.message, stack: stackFrames(serialized) };
}

/**
 * Express error handler rendering every error as an issuetrak or RFC 9457 envelope. Mount it last.
 * Total: whatever reaches it, the client gets the envelope with the trace ID (or, once headers were
 * sent, a closed connection); a failing logger or a hostile error cannot make it throw.
 * Throws {@link OptionsError} at construction for unknown or mistyped options.
 */
export function errorMapper(options?: ErrorMapperOptions): ErrorRequestHandler {
  const resolved = resolve(options);
  const { format, logger, policy } = resolved;
  const environment = resolved.environment ?? resolveEnvironment().name;
  const includeDetails = resolved.includeDetails && isDevelopment(environment);
  // A guard logger can say whether Debug is on, sparing the message of a line it would drop.
  const isEnabled = (logger as { isEnabled?: unknown }).isEnabled;
  const debugEnabled =
    typeof isEnabled === 'function' ? (): boolean => (isEnabled as (level: string) => boolean).call(logger, 'Debug') === true : (): boolean => true;
  if (resolved.includeDetails && !includeDetails) {
    logger.warn(`errorMapper: includeDetails is ignored because the environment is "${environment}", not Development.`, {});
  }
  // A host sink that throws must not cost the client its answer.
  const log = (level: 'debug' | 'info' | 'warn' | 'error', message: string, meta: Readonly<Record<string, unknown>>): void => {
    try {
      logger[level](message, meta);
    } catch {
      // Nothing better to do: the response matters more than the line.
    }
  };
  const logged = (err: unknown, stack: boolean): unknown => serializeError(err, { policy, stack });

  const answer = (err: unknown, req: Request, res: Response, traceId: string): void => {
    const method = requestMethod(req);
    const path = policy.mask(requestPath(req));

    if (res.headersSent) {
      log('error', `Error after the response to ${method} ${path} had started; closing the connection`, {
        traceId,
        method,
        path,
        status: res.statusCode,
        error: logged(err, true),
      });
      closeConnection(req, res);
      return;
    }

    const mapped = mapError(err, policy);
    const meta = { traceId, method, path, status: mapped.status, type: mapped.type };
    if (mapped.status >= 500) {
      log('error', `${method} ${path} failed with ${mapped.status} ${mapped.type}`, { ...meta, error: logged(err, true) });
    } else if (safeInstanceOf(err, RateLimitError)) {
      // The request line (Warning, with the rule) already records a refusal; under a flood a second
      // line per 429 would double the log volume, so this one is only for Debug.
      if (debugEnabled()) log('debug', `${method} ${path} answered ${mapped.status} ${mapped.type}: ${mapped.message}`, { ...meta, rule: safeGet(err, 'rule') });
    } else {
      const reason = safeInstanceOf(err, ApiError) ? undefined : safeGet(err, 'type');
      // A library's own message was replaced for the client; the operator gets it here (no stack: a 4xx is not a fault).
      log('info', `${method} ${path} answered ${mapped.status} ${mapped.type}: ${mapped.message}`, {
        ...meta,
        ...(typeof reason === 'string' ? { reason: reason.slice(0, 100) } : {}),
        ...(mapped.replaced ? { error: logged(err, false) } : {}),
      });
    }

    const apiCause = safeInstanceOf(err, ApiError) ? safeGet(err, 'cause') : undefined;
    const input: EnvelopeInput = {
      status: mapped.status,
      type: mapped.type,
      message: mapped.message,
      traceId,
      instance: path,
      ...(includeDetails && mapped.status >= 500 ? { exception: exceptionDetails(apiCause ?? err, policy) } : {}),
    };
    const skipped = sendEnvelope(req, res, input, format, mapped.headers);
    for (const name of skipped) log('warn', `errorMapper: skipped invalid response header ${JSON.stringify(name)}`, { traceId });
  };

  return function errorMapperMiddleware(err: unknown, req: Request, res: Response, _next: NextFunction): void {
    let traceId = '';
    try {
      traceId = responseTraceId(res);
      answer(err, req, res, traceId);
    } catch (failure) {
      log('error', 'errorMapper could not render an error; answered a plain 500', { traceId, error: logged(failure, true) });
      lastResort(req, res, traceId, format);
    }
  };
}

/** A fixed 500 envelope when rendering the real one failed; a closed connection when even that fails. */
function lastResort(req: Request, res: Response, traceId: string, format: ErrorFormat): void {
  try {
    if (res.headersSent) {
      closeConnection(req, res);
      return;
    }
    sendEnvelope(req, res, { status: 500, type: 'Processing', message: PROCESSING_MESSAGE, traceId, instance: '/' }, format);
  } catch {
    try {
      res.destroy();
    } catch {
      // The socket is gone already.
    }
  }
}
