/**
 * The request context in AsyncLocalStorage: the trace ID every log line and error body reads. It
 * lives in core so logging and errors read it without importing the trace middleware.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** What the guard keeps for the request being handled. */
export interface RequestContext {
  readonly traceId: string;
  /** The active OpenTelemetry span's id, when the trace ID came from one. */
  readonly spanId?: string;
}

// One store per process, not per module instance. The package ships an ES module build and a
// CommonJS build; an app that `import`s it while a dependency `require`s it loads both, and with a
// store each, a trace ID set by one build's middleware would be invisible to the other's logger.
// So the store is kept on globalThis under a registry symbol that every copy agrees on.
// `version` names the shape of RequestContext: a copy that expects another shape keeps its own
// store rather than reading values it does not understand. Bump it only when that shape changes
// incompatibly (adding an optional field is compatible).
const KEY = Symbol.for('express-api-guard.request-context');
const VERSION = 1;

interface SharedStore {
  readonly version: number;
  readonly storage: AsyncLocalStorage<RequestContext>;
}

function sharedStorage(): AsyncLocalStorage<RequestContext> {
  const registry = globalThis as typeof globalThis & { [KEY]?: SharedStore };
  const existing = registry[KEY];
  if (existing?.version === VERSION && existing.storage instanceof AsyncLocalStorage) return existing.storage;
  const storage = new AsyncLocalStorage<RequestContext>();
  // The first copy to load claims the slot; one with another version does not overwrite it.
  if (existing === undefined) {
    Object.defineProperty(registry, KEY, { value: { version: VERSION, storage }, enumerable: false, configurable: false, writable: false });
  }
  return storage;
}

const storage = sharedStorage();

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
