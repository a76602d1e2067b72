/** Trace IDs: the middleware, the request context and the ID formats. */
export { traceId, traceIdOptionsFromConfig, type TraceIdOptions, type TraceIdFormat } from './trace-id.js';
export { getTraceId, runWithContext, type RequestContext } from '../core/index.js';
export { isAspNetTraceId } from './aspnet-id.js';
export { isW3cTraceId, parseTraceparent, type TraceParent } from './traceparent.js';
