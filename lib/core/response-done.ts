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

// Symbol.for: the ES module and CommonJS builds loaded side by side share one listener per response.
const HOOKS = Symbol.for('express-api-guard.response-done');
type Holder = ServerResponse & { [HOOKS]?: ResponseDone | ResponseDone[] };

/** Calls `hook` once, when `res` closes. */
export function onResponseDone(res: ServerResponse, hook: ResponseDone): void {
  const holder = res as Holder;
  const hooks = holder[HOOKS];
  if (hooks === undefined) {
    holder[HOOKS] = hook;
    res.on('close', runHooks);
  } else if (typeof hooks === 'function') {
    holder[HOOKS] = [hooks, hook];
  } else {
    hooks.push(hook);
  }
}

function runHooks(this: Holder): void {
  const hooks = this[HOOKS];
  this[HOOKS] = undefined;
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
