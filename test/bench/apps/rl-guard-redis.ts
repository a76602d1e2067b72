/** Bench: express-api-guard rateLimit with the six rules, RedisStore (one EVALSHA per request). */
import express from 'express';
import { Redis } from 'ioredis';
import { RedisStore, rateLimit } from '../../../lib/rate-limit/index.js';
import { type BenchApp, REDIS_URL, SIX_RULES, deleteKeys, listen, uniquePrefix } from './_shared/common.js';

export async function start(): Promise<BenchApp> {
  const prefix = uniquePrefix('guard');
  const redis = new Redis(REDIS_URL);
  const limiter = rateLimit({ rules: SIX_RULES, store: new RedisStore({ client: redis, keyPrefix: prefix }) });
  const app = express();
  app.disable('etag');
  app.use(limiter);
  return listen(
    app,
    async () => {
      await limiter.close();
      await deleteKeys(redis, prefix);
      await redis.quit();
    },
    redis,
  );
}
