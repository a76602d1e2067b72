/**
 * OpenTelemetry interop: when an OpenTelemetry SDK is registered in the process and a span is active
 * for the request (e.g. the server span of @opentelemetry/instrumentation-http), the request's trace
 * ID is that span's. @opentelemetry/api is an optional peer dependency: it is loaded (synchronously,
 * see core's loadOptionalModule) only once an SDK has registered its context manager, which is when
 * a span can be active at all. Until then, and in an app without OpenTelemetry, a request costs one
 * property read of the API's well-known global.
 */
import { loadOptionalModule } from '../core/index.js';

/** The parts of an OpenTelemetry SpanContext we use. */
export interface ActiveSpan {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** 16 lowercase hex digits. */
  readonly spanId: string;
  /** W3C trace flags; bit 0 is "sampled". */
  readonly traceFlags: number;
}

interface OtelApi {
  readonly trace: { getActiveSpan(): { spanContext(): ActiveSpan } | undefined };
  isSpanContextValid(context: ActiveSpan): boolean;
}

// Where every copy of @opentelemetry/api 1.x keeps what an SDK registered (context manager, tracer
// provider, propagator); the API's own cross-copy contract, stable across 1.x.
const GLOBAL = Symbol.for('opentelemetry.js.api.1');

let api: OtelApi | null | undefined;

function loadApi(): OtelApi | null {
  try {
    return loadOptionalModule<OtelApi>('@opentelemetry/api') ?? null;
  } catch (error) {
    process.emitWarning(`express-api-guard: @opentelemetry/api is installed but could not be loaded (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); trace IDs do not follow OpenTelemetry spans.`);
    return null;
  }
}

/** The span active in the current async context, when an OpenTelemetry SDK is registered; else undefined. */
export function activeSpan(): ActiveSpan | undefined {
  const registered = (globalThis as { [GLOBAL]?: { context?: unknown } })[GLOBAL];
  if (registered?.context === undefined) return undefined;
  api ??= loadApi();
  if (api === null) return undefined;
  const context = api.trace.getActiveSpan()?.spanContext();
  return context !== undefined && api.isSpanContextValid(context) ? context : undefined;
}
