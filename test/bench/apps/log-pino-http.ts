/** Bench anchor: pino-http logging each request (with its generated request id) to a file. */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import pino from 'pino';
import { pinoHttp } from 'pino-http';

interface BenchApp {
  url: string;
  close(): Promise<void>;
}

export async function start(): Promise<BenchApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-log-pino-'));
  const destination = pino.destination({ dest: path.join(dir, 'requests.log'), sync: false, mkdir: true });
  const logger = pino(destination);
  const app = express();
  app.disable('etag');
  app.use(pinoHttp({ logger }));
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
      destination.flushSync();
      destination.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
