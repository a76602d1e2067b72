/** Bench anchor: pino-http logging each request (with its generated request id) to a file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { type BenchApp, listen } from './_shared/common.js';
import pino from 'pino';
import { pinoHttp } from 'pino-http';

export async function start(): Promise<BenchApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-log-pino-'));
  const destination = pino.destination({ dest: path.join(dir, 'requests.log'), sync: false, mkdir: true });
  const logger = pino(destination);
  const app = express();
  app.disable('etag');
  app.use(pinoHttp({ logger }));
  return listen(app, async () => {
    destination.flushSync();
    destination.end();
    rmSync(dir, { recursive: true, force: true });
  });
}
