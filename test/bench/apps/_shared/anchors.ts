/**
 * The trace-and-log half of the anchor stacks, as a user would assemble it from popular packages:
 * cls-rtracer for the trace ID and express-winston writing each request to a winston file transport.
 * Shared by log-express-winston and stack-anchors so both measure the same setup.
 */
import path from 'node:path';
import rTracer from 'cls-rtracer';
import type { Express } from 'express';
import expressWinston from 'express-winston';
import winston from 'winston';

/** A winston file logger stamping each line with cls-rtracer's ID. */
export function anchorLogger(dir: string): winston.Logger {
  return winston.createLogger({
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
}

/** Mounts cls-rtracer (echoing X-Trace-Id) and express-winston's request logger. */
export function useAnchorTraceAndLog(app: Express, logger: winston.Logger): void {
  app.use(rTracer.expressMiddleware({ echoHeader: true, headerName: 'X-Trace-Id' }));
  app.use(expressWinston.logger({ winstonInstance: logger, meta: true, msg: '{{req.method}} {{req.url}} {{res.statusCode}}', expressFormat: false }));
}
