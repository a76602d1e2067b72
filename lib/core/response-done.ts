/**
 * One 'close' listener per response, shared by everything that acts once a response is done: the
 * request log line, the duration histogram, the guard's count of requests in flight. Each of them
 * registering a listener of its own made the response an emitter with a listener array to grow and
 * copy on every request; one shared listener (the same function for every response, no closure)
 * runs them all. Node emits 'close' once per response, after 'finish' or on an abort.
 */
import type { ServerResponse } from 'node:http';

/** Runs when the response closed; `finished` is false when the client went away before the end. */
export type ResponseDone = (res: ServerResponse, finished: boolean) => void;

// Kept beside the response, not on it: a property added to every response object costs V8 a
// hidden-class transition per request (measured: more than the hooks themselves). The ES module
// and CommonJS builds loaded side by side share the table, so a response still has one listener.
const KEY = Symbol.for('express-api-guard.response-done');
const HOOKS: WeakMap<ServerResponse, ResponseDone | ResponseDone[]> = ((globalThis as { [KEY]?: WeakMap<ServerResponse, ResponseDone | ResponseDone[]> })[KEY] ??=
  new WeakMap());

/** Calls `hook` once, when `res` closes. */
export function onResponseDone(res: ServerResponse, hook: ResponseDone): void {
  const hooks = HOOKS.get(res);
  if (hooks === undefined) {
    HOOKS.set(res, hook);
    res.on('close', runHooks);
  } else if (typeof hooks === 'function') {
    HOOKS.set(res, [hooks, hook]);
  } else {
    hooks.push(hook);
  }
}

function runHooks(this: ServerResponse): void {
  const hooks = HOOKS.get(this);
  HOOKS.delete(this);
  const finished = this.writableFinished;
  if (typeof hooks === 'function') return hooks(this, finished);
  if (hooks === undefined) return;
  // Every hook runs even if one throws; the first error is then rethrown, as a listener's would be.
  let failure: { error: unknown } | undefined;
  for (const hook of hooks) {
    try {
      hook(this, finished);
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure !== undefined) throw failure.error;
}
