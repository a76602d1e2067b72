/** rate-limiter-flexible as Express middleware: RateLimiterUnion per method class (reads / writes). */
import type { RequestHandler } from 'express';
import { RateLimiterUnion, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { SIX_WINDOWS, WRITE_METHODS } from './common.js';

export function flexibleMiddleware(make: (windowMs: number, index: number) => RateLimiterAbstract): RequestHandler {
  const limiters = SIX_WINDOWS.map(([windowMs], i) => make(windowMs, i));
  const reads = new RateLimiterUnion(...limiters.filter((_, i) => !(SIX_WINDOWS[i] as readonly [number, boolean])[1]));
  const writes = new RateLimiterUnion(...limiters);
  return (req, res, next) => {
    const union = WRITE_METHODS.has(req.method) ? writes : reads;
    union.consume(req.ip ?? 'unknown').then(
      () => next(),
      () => void res.status(429).json({ error: 'Too Many Requests' }),
    );
  };
}
