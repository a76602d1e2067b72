/** Bench: express-api-guard traceId (aspnet) + requestLogger, one JSON line per request to a file. */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { createLogger, requestLogger } from '../../../lib/logging/index.js';
import { traceId } from '../../../lib/trace/index.js';

interface BenchApp {
  url: string;
  close(): Promise<void>;
}

export async function start(): Promise<BenchApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-log-guard-'));
  const logger = createLogger({ Directory: dir, Console: false });
  const app = express();
  app.disable('etag');
  app.use(traceId());
  app.use(requestLogger({ logger }));
  app.get('/api/v2/ping', (_req, res) => {
    res.json({ ok: true });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v2/ping`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await logger.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
