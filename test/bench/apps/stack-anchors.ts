/**
 * Bench: the stack a user would assemble from the usual packages — cls-rtracer for the trace ID,
 * express-winston logging to a file, express-rate-limit once per rule (six, limits never tripped),
 * and a hand-written JSON error handler — around the same trivial JSON route as stack-guard.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import rTracer from 'cls-rtracer';
import express, { type NextFunction, type Request, type Response } from 'express';
import { type BenchApp, addPingRoute, serve } from './_shared/common.js';
import { anchorLogger, useAnchorTraceAndLog } from './_shared/anchors.js';
import { rateLimit } from 'express-rate-limit';

const WINDOWS_MS = [1_000, 1_000, 60_000, 600_000, 3_600_000, 43_200_000];

export async function start(): Promise<BenchApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-anchors-'));
  const logger = anchorLogger(dir);

  const app = express();
  app.disable('etag');
  useAnchorTraceAndLog(app, logger);
  WINDOWS_MS.forEach((windowMs, i) => {
    app.use(
      rateLimit({
        windowMs,
        limit: 1_000_000_000,
        standardHeaders: 'draft-8',
        legacyHeaders: false,
        identifier: `rule${i}`,
        ...(i === 1 ? { skip: (req: Request) => !['POST', 'PUT', 'DELETE'].includes(req.method) } : {}),
      }),
    );
  });
  addPingRoute(app);
  app.use((_req: Request, _res: Response, next: NextFunction) => {
    next(Object.assign(new Error('Not found'), { status: 404 }));
  });
  app.use((err: { status?: number; message?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const status = err.status ?? 500;
    if (status >= 500) logger.error('request failed', { err });
    res.status(status).json({
      traceId: rTracer.id(),
      information: [{ type: status >= 500 ? 'Processing' : 'Validation', message: status >= 500 ? 'An error occurred while processing your request.' : err.message }],
    });
  });

  return serve(app, async () => {
    await new Promise<void>((resolve) => {
      logger.on('finish', () => resolve());
      logger.end();
    });
    rmSync(dir, { recursive: true, force: true });
  });
}
