/** Bench anchor: express-rate-limit stacked six times, each with rate-limit-redis over ioredis. */
import express, { type Request } from 'express';
import { rateLimit } from 'express-rate-limit';
import { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { type BenchApp, HIGH, REDIS_URL, SIX_WINDOWS, WRITE_METHODS, deleteKeys, listen, uniquePrefix } from './_shared/common.js';

export async function start(): Promise<BenchApp> {
  const prefix = uniquePrefix('erl');
  const redis = new Redis(REDIS_URL);
  const app = express();
  app.disable('etag');
  SIX_WINDOWS.forEach(([windowMs, writesOnly], i) => {
    app.use(
      rateLimit({
        windowMs,
        limit: HIGH,
        standardHeaders: 'draft-8',
        legacyHeaders: false,
        identifier: `rule${i}`,
        store: new RedisStore({
          prefix: `${prefix}${i}:`,
          sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
        }),
        ...(writesOnly ? { skip: (req: Request) => !WRITE_METHODS.has(req.method) } : {}),
      }),
    );
  });
  return listen(
    app,
    async () => {
      await deleteKeys(redis, prefix);
      await redis.quit();
    },
    redis,
  );
}
