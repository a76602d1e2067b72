/**
 * Runs a list of middleware as one request handler. The guard uses this instead of an Express
 * Router: it costs one closure per request (a Router costs layer matching and path bookkeeping per
 * layer), it behaves the same under Express 4 and 5, and the list can be swapped atomically when the
 * config changes — a request already in flight finishes with the list it started with.
 */
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

/** A handler whose middleware list can be replaced while it serves traffic. */
export interface SwappableChain {
  readonly handler: RequestHandler;
  replace(handlers: readonly RequestHandler[]): void;
}

/**
 * `onError`, when given, answers errors raised inside the chain itself (instead of passing them to
 * the app's error handlers); without it they go to the outer `next(err)` like a Router's would.
 */
export function swappableChain(name: string, initial: readonly RequestHandler[], onError?: ErrorRequestHandler): SwappableChain {
  let handlers: readonly RequestHandler[] = initial;

  const handler = function (req: Request, res: Response, done: NextFunction): void {
    const list = handlers;
    let index = 0;
    const step = (err?: unknown): void => {
      // Like a Router: 'route'/'router' leaves the chain; an error goes to onError or the app.
      if (err !== undefined && err !== null) {
        if (err === 'route' || err === 'router') done();
        else if (onError) void onError(err, req, res, done);
        else done(err);
        return;
      }
      const next = list[index++];
      if (next === undefined) {
        done();
        return;
      }
      try {
        const result: unknown = next(req, res, step);
        // Express 5 semantics for async middleware, also under Express 4.
        if (isThenable(result)) {
          result.then(undefined, (reason: unknown) => step(reason ?? new Error('Rejected promise')));
        }
      } catch (thrown) {
        step(thrown ?? new Error('Thrown falsy value'));
      }
    };
    step();
  };
  Object.defineProperty(handler, 'name', { value: name });

  return {
    handler,
    replace(next) {
      handlers = next;
    },
  };
}
