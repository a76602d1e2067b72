/** Bench anchor: rate-limiter-flexible RateLimiterUnion of six RateLimiterRedis over ioredis. */
import express from 'express';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { flexibleMiddleware } from './_shared/flexible.js';
import { type BenchApp, HIGH, REDIS_URL, deleteKeys, listen, uniquePrefix } from './_shared/common.js';

export async function start(): Promise<BenchApp> {
  const prefix = uniquePrefix('flexible');
  const redis = new Redis(REDIS_URL);
  const app = express();
  app.disable('etag');
  app.use(
    flexibleMiddleware(
      (windowMs, i) => new RateLimiterRedis({ storeClient: redis, points: HIGH, duration: windowMs / 1000, keyPrefix: `${prefix}${i}` }),
    ),
  );
  return listen(
    app,
    async () => {
      await deleteKeys(redis, prefix);
      await redis.quit();
    },
    redis,
  );
}
