/** Bench anchor: rate-limiter-flexible RateLimiterUnion of six RateLimiterMemory. */
import express from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { flexibleMiddleware } from './_shared/flexible.js';
import { type BenchApp, HIGH, listen } from './_shared/common.js';

export async function start(): Promise<BenchApp> {
  const app = express();
  app.disable('etag');
  app.use(flexibleMiddleware((windowMs, i) => new RateLimiterMemory({ points: HIGH, duration: windowMs / 1000, keyPrefix: `rule${i}` })));
  return listen(app);
}
