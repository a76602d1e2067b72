/**
 * The trace-ID middleware: gives every request an ID, puts it on `res.locals.traceId` and in a
 * response header before anything else runs (so 404s, 429s and 500s carry it too), and runs the
 * rest of the request inside the AsyncLocalStorage context that log lines read it from. When an
 * OpenTelemetry span is active for the request, its trace ID is used whatever the format (see otel.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { TracingConfig } from '../config/index.js';
import { newW3cTraceId, OptionKit, parseHeaderName, runWithContext, type KeysEnum } from '../core/index.js';
import { nextAspNetTraceId } from './aspnet-id.js';
import { activeSpan, type ActiveSpan } from './otel.js';
import { formatTraceparent, newSpanId, parseTraceparent } from './traceparent.js';

/** Trace ID formats. */
export type TraceIdFormat = 'aspnet' | 'w3c';

/** Options for {@link traceId}. */
export type TraceIdOptions = Readonly<{
  /**
   * `aspnet`: `<13-char base32 connection id>:<8 hex digit request counter>`, like ASP.NET Core;
   * `w3c`: 32 lowercase hex digits, answered with a `traceparent` header. A request with an active
   * OpenTelemetry span gets the span's trace ID whichever format is set. Defaults to `aspnet`.
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

const KEYS: KeysEnum<TraceIdOptions> = { format: true, header: true, trustTraceparent: true };
const kit: OptionKit = new OptionKit({ name: 'traceId', code: 'TRACE', docs: 'tracing.md' });

function validate(options: TraceIdOptions): Required<TraceIdOptions> {
  const given = kit.object(options, KEYS);
  const rawFormat = given.format;
  const format = kit.oneOf(typeof rawFormat === 'string' ? rawFormat.toLowerCase() : rawFormat, 'aspnet', ['aspnet', 'w3c'], 'format');
  const header = kit.parsed(given.header, parseHeaderName(given.header ?? 'X-Trace-Id'), 'HEADER', 'header');
  if (format === 'w3c' && header.toLowerCase() === 'traceparent') {
    kit.fail('HEADER', 'header', 'with format "w3c" the traceparent header is already sent; choose another header, e.g. "X-Trace-Id".');
  }
  return { format, header, trustTraceparent: kit.boolean(given.trustTraceparent, false, 'trustTraceparent') };
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

/** The request runs under the active OpenTelemetry span's trace ID; log lines also carry its span ID. */
function followSpan(span: ActiveSpan, header: string, traceparent: boolean, res: ServerResponse & { locals?: Record<string, unknown> }, next: NextFunction): void {
  (res.locals ??= {}).traceId = span.traceId;
  res.setHeader(header, span.traceId);
  if (traceparent) res.setHeader('traceparent', formatTraceparent(span.traceId, span.spanId, (span.traceFlags & 1) === 1 ? '01' : '00'));
  runWithContext({ traceId: span.traceId, spanId: span.spanId }, next);
}

/**
 * Middleware that assigns the request's trace ID. Mount it first so every later middleware,
 * handler, error handler and log line sees the ID.
 */
export function traceId(options: TraceIdOptions = {}): RequestHandler {
  const { format, header, trustTraceparent } = validate(options);

  let handler: Handler;
  if (format === 'aspnet') {
    handler = function traceIdAspNet(req, res, next) {
      const span = activeSpan();
      if (span !== undefined) return followSpan(span, header, false, res, next);
      const id = nextAspNetTraceId(req.socket);
      (res.locals ??= {}).traceId = id;
      res.setHeader(header, id);
      runWithContext({ traceId: id }, next);
    };
  } else {
    handler = function traceIdW3c(req, res, next) {
      const span = activeSpan();
      if (span !== undefined) return followSpan(span, header, true, res, next);
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
