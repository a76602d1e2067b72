/** Bench anchor: cls-rtracer for the trace ID + express-winston logging each request to a winston file transport. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import rTracer from 'cls-rtracer';
import express from 'express';
import { type BenchApp, listen } from './_shared/common.js';
import expressWinston from 'express-winston';
import winston from 'winston';

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
  return listen(app, async () => {
    await new Promise<void>((resolve) => {
      logger.on('finish', () => resolve());
      logger.end();
    });
    rmSync(dir, { recursive: true, force: true });
  });
}
