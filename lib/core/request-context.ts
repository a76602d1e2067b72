/**
 * The request context in AsyncLocalStorage: the trace ID every log line and error body reads.
 *
 * The package ships ESM and CommonJS builds, and an app can load both (its own code `import`s the
 * package, a dependency `require`s it). Each build would then create its own storage, and a trace
 * ID set by one copy's middleware would be invisible to the other copy's logger. So the storage is
 * kept on `globalThis` under a registered symbol: every copy in the process shares one.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** What the guard keeps for the request being handled. */
export interface RequestContext {
  readonly traceId: string;
  /** The active OpenTelemetry span's id, when the trace ID came from one. */
  readonly spanId?: string;
}

const KEY = Symbol.for('express-api-guard.request-context.v1');
const holder = globalThis as typeof globalThis & { [KEY]?: AsyncLocalStorage<RequestContext> };
const storage: AsyncLocalStorage<RequestContext> = (holder[KEY] ??= new AsyncLocalStorage<RequestContext>());

/** Runs `fn` with `context` visible to {@link getTraceId} in everything it starts, across awaits. */
export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The context of the request being handled, or undefined outside a request. */
export function getRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The trace ID of the request being handled, or undefined outside a request. */
export function getTraceId(): string | undefined {
  return storage.getStore()?.traceId;
}
