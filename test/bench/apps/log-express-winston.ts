/** Bench anchor: cls-rtracer for the trace ID + express-winston logging each request to a winston file transport. */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import rTracer from 'cls-rtracer';
import express from 'express';
import expressWinston from 'express-winston';
import winston from 'winston';

interface BenchApp {
  url: string;
  close(): Promise<void>;
}

export async function start(): Promise<BenchApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-log-ew-'));
  const logger = winston.createLogger({
    level: 'info',
    format: winston.format.combine(
      winston.format((info) => {
        info.traceId = rTracer.id();
        return info;
      })(),
      winston.format.timestamp(),
      winston.format.json(),
    ),
    transports: [new winston.transports.File({ filename: path.join(dir, 'requests.log') })],
  });
  const app = express();
  app.disable('etag');
  app.use(rTracer.expressMiddleware({ echoHeader: true, headerName: 'X-Trace-Id' }));
  app.use(expressWinston.logger({ winstonInstance: logger, meta: true, msg: '{{req.method}} {{req.url}} {{res.statusCode}}', expressFormat: false }));
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
      await new Promise<void>((resolve) => {
        logger.on('finish', () => resolve());
        logger.end();
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
