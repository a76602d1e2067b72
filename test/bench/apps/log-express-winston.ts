/** Bench anchor: cls-rtracer for the trace ID + express-winston logging each request to a winston file transport. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { type BenchApp, listen } from './_shared/common.js';
import { anchorLogger, useAnchorTraceAndLog } from './_shared/anchors.js';

export async function start(): Promise<BenchApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-log-ew-'));
  const logger = anchorLogger(dir);
  const app = express();
  app.disable('etag');
  useAnchorTraceAndLog(app, logger);
  return listen(app, async () => {
    await new Promise<void>((resolve) => {
      // Responses cut off by the shutdown still log after end(): winston's "write after end" is expected here.
      logger.on('error', () => {});
      logger.on('finish', () => resolve());
      logger.end();
    });
    rmSync(dir, { recursive: true, force: true });
  });
}
