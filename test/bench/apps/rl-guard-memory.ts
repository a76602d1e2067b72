/** Bench: express-api-guard rateLimit with the six rules, MemoryStore. */
import express from 'express';
import { rateLimit } from '../../../lib/rate-limit/index.js';
import { type BenchApp, SIX_RULES, listen } from './_shared/common.js';

export async function start(): Promise<BenchApp> {
  const app = express();
  app.disable('etag');
  const limiter = rateLimit({ rules: SIX_RULES });
  app.use(limiter);
  return listen(app, () => limiter.close());
}
