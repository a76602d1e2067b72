/** `metricsHandler`: the registry in the Prometheus text exposition format, for GET and HEAD. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Registry } from 'prom-client';
import { isRegistry } from '../core/index.js';
import { kit } from './http-metrics.js';

/**
 * Serves `registry` (or the registry `source()` returns now; undefined passes the request on, e.g.
 * to your 404, while metrics are off). Other methods than GET and HEAD pass on too.
 */
export function metricsHandler(source: Registry | (() => Registry | undefined)): RequestHandler {
  if (typeof source !== 'function' && !isRegistry(source)) {
    kit.fail('INVALID_OPTION', 'registry', 'expected a prom-client Registry, or a function returning one.');
  }
  const current = typeof source === 'function' ? source : () => source;
  return function metricsHandler(req: Request, res: Response, next: NextFunction): void {
    const registry = current();
    if (registry === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    registry.metrics().then(
      (text) => {
        res.statusCode = 200;
        res.setHeader('Content-Type', registry.contentType);
        // A scrape must see the values of now, never a cached copy.
        res.setHeader('Cache-Control', 'no-store');
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => next(error),
    );
  };
}
