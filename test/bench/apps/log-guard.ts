/** Bench: express-api-guard traceId (aspnet) + requestLogger, one JSON line per request to a file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { type BenchApp, listen } from './_shared/common.js';
import { createLogger, requestLogger } from '../../../lib/logging/index.js';
import { traceId } from '../../../lib/trace/index.js';

export async function start(): Promise<BenchApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-log-guard-'));
  const logger = createLogger({ Directory: dir, Console: false });
  const app = express();
  app.disable('etag');
  app.use(traceId());
  app.use(requestLogger({ logger }));
  return listen(app, async () => {
    await logger.close();
    rmSync(dir, { recursive: true, force: true });
  });
}
