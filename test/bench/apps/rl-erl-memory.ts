/** Bench anchor: express-rate-limit stacked six times (one per rule), its MemoryStore. */
import express, { type Request } from 'express';
import { rateLimit } from 'express-rate-limit';
import { type BenchApp, HIGH, SIX_WINDOWS, WRITE_METHODS, listen } from './_shared/common.js';

export async function start(): Promise<BenchApp> {
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
        ...(writesOnly ? { skip: (req: Request) => !WRITE_METHODS.has(req.method) } : {}),
      }),
    );
  });
  return listen(app);
}
