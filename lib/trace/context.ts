/**
 * The request context in AsyncLocalStorage. It lives apart from the middleware so that logging and
 * errors can read the trace ID without importing (or requiring) the trace middleware itself.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** What the guard keeps for the request being handled. */
export interface RequestContext {
  readonly traceId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with `context` visible to {@link getTraceId} in everything it starts, across awaits. */
export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The trace ID of the request being handled, or undefined outside a request. */
export function getTraceId(): string | undefined {
  return storage.getStore()?.traceId;
}
