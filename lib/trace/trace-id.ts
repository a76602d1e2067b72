/**
 * The trace-ID middleware: gives every request an ID, puts it on `res.locals.traceId` and in a
 * response header before anything else runs (so 404s, 429s and 500s carry it too), and runs the
 * rest of the request inside the AsyncLocalStorage context that log lines read it from.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { TracingConfig } from '../config/types.js';
import { closest } from '../config/closest.js';
import { nextAspNetTraceId } from './aspnet-id.js';
import { runWithContext } from './context.js';
import { TraceOptionsError } from './options-error.js';
import { formatTraceparent, newSpanId, newW3cTraceId, parseTraceparent } from './traceparent.js';

/** Trace ID formats. */
export type TraceIdFormat = 'aspnet' | 'w3c';

/** Options for {@link traceId}. */
export type TraceIdOptions = Readonly<{
  /**
   * `aspnet`: `<13-char base32 connection id>:<8 hex digit request counter>`, like ASP.NET Core;
   * `w3c`: 32 lowercase hex digits, answered with a `traceparent` header. Defaults to `aspnet`.
   */
  format?: TraceIdFormat;
  /** Response header that carries the ID; must be a valid header name. Defaults to `X-Trace-Id`. */
  header?: string;
  /**
   * With `w3c`, continue the trace of a valid incoming `traceparent` header instead of starting a
   * new one. Only enable it behind a gateway you trust to set that header. Defaults to false.
   */
  trustTraceparent?: boolean;
}>;

const KNOWN_OPTIONS = ['format', 'header', 'trustTraceparent'] as const;
// RFC 9110 token characters; anything else could not be sent as a header name.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function validate(options: TraceIdOptions): Required<TraceIdOptions> {
  if (options === null || typeof options !== 'object') {
    throw new TraceOptionsError('ERR_TRACE_OPTIONS', 'traceId(options): options must be an object, e.g. { format: "w3c" }.');
  }
  for (const key of Object.keys(options)) {
    if (!(KNOWN_OPTIONS as readonly string[]).includes(key)) {
      const guess = closest(key, KNOWN_OPTIONS);
      throw new TraceOptionsError(
        'ERR_TRACE_UNKNOWN_OPTION',
        `traceId(options): unknown option "${key}"` +
          (guess ? `; did you mean "${guess}"?` : `; known options are ${KNOWN_OPTIONS.join(', ')}.`),
      );
    }
  }
  const rawFormat: unknown = options.format ?? 'aspnet';
  const format = typeof rawFormat === 'string' ? rawFormat.toLowerCase() : rawFormat;
  if (format !== 'aspnet' && format !== 'w3c') {
    throw new TraceOptionsError(
      'ERR_TRACE_FORMAT',
      `traceId(options): format ${JSON.stringify(rawFormat)} is not supported; use "aspnet" or "w3c".`,
    );
  }
  const header: unknown = options.header ?? 'X-Trace-Id';
  if (typeof header !== 'string' || header.length > 64 || !TOKEN.test(header)) {
    throw new TraceOptionsError(
      'ERR_TRACE_HEADER',
      `traceId(options): header ${JSON.stringify(header)} is not a valid HTTP header name; ` +
        'use letters, digits and - only, e.g. "X-Trace-Id".',
    );
  }
  if (format === 'w3c' && header.toLowerCase() === 'traceparent') {
    throw new TraceOptionsError(
      'ERR_TRACE_HEADER',
      'traceId(options): with format "w3c" the traceparent header is already sent; choose another header, e.g. "X-Trace-Id".',
    );
  }
  const trust: unknown = options.trustTraceparent ?? false;
  if (typeof trust !== 'boolean') {
    throw new TraceOptionsError('ERR_TRACE_TRUST', 'traceId(options): trustTraceparent must be true or false.');
  }
  return { format, header, trustTraceparent: trust };
}

/** Maps the `Tracing` config section onto {@link TraceIdOptions}. */
export function traceIdOptionsFromConfig(tracing: Partial<TracingConfig>): TraceIdOptions {
  return {
    ...(tracing.Format !== undefined && { format: tracing.Format }),
    ...(tracing.Header !== undefined && { header: tracing.Header }),
    ...(tracing.TrustTraceparent !== undefined && { trustTraceparent: tracing.TrustTraceparent }),
  };
}

type Handler = (req: IncomingMessage, res: ServerResponse & { locals?: Record<string, unknown> }, next: NextFunction) => void;

/**
 * Middleware that assigns the request's trace ID. Mount it first so every later middleware,
 * handler, error handler and log line sees the ID.
 */
export function traceId(options: TraceIdOptions = {}): RequestHandler {
  const { format, header, trustTraceparent } = validate(options);

  let handler: Handler;
  if (format === 'aspnet') {
    handler = function traceIdAspNet(req, res, next) {
      const id = nextAspNetTraceId(req.socket);
      (res.locals ??= {}).traceId = id;
      res.setHeader(header, id);
      runWithContext({ traceId: id }, next);
    };
  } else {
    handler = function traceIdW3c(req, res, next) {
      const parent = trustTraceparent ? parseTraceparent(req.headers.traceparent) : undefined;
      const id = parent?.traceId ?? newW3cTraceId();
      // Only the sampled bit is defined for version 00, which is the version we answer with.
      const flags = parent !== undefined && (parseInt(parent.flags, 16) & 1) === 1 ? '01' : '00';
      (res.locals ??= {}).traceId = id;
      res.setHeader(header, id);
      res.setHeader('traceparent', formatTraceparent(id, newSpanId(), flags));
      runWithContext({ traceId: id }, next);
    };
  }
  return handler as unknown as (req: Request, res: Response, next: NextFunction) => void;
}
