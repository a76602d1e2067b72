/**
 * Where the example serves Prometheus metrics. Without `Metrics.Port`, at `/metrics` on the app's own
 * port to callers on this machine only: the socket address decides (not req.ip, which "trust proxy"
 * may take from a header), and a request a local reverse proxy forwarded does not count as local.
 * Everyone else gets the app's ordinary 404. With `Metrics.Port`, on a server of its own at that port
 * (same host as the app), for whoever the network lets reach it, and not on the app's port at all.
 */
import http from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import express, { type RequestHandler } from 'express';
import type { ApiGuard } from '../../lib/index.js';
import { isDirectLoopbackRequest } from '../../lib/https/index.js';

export const METRICS_PATH = '/metrics';

/** The app's `/metrics` route: the guard's handler for direct loopback callers, the 404 for anyone else. */
export function loopbackMetrics(guard: ApiGuard): RequestHandler {
  return function loopbackMetrics(req, res, next) {
    if (!isDirectLoopbackRequest(req)) return next();
    guard.metricsHandler(req, res, next);
  };
}

export interface MetricsServer {
  readonly server: http.Server;
  /** e.g. `http://127.0.0.1:9464/metrics`. */
  readonly url: string;
}

/** Listens on `port` and `host`; resolves to the address as a URL host (`127.0.0.1:5000`, `[::1]:5000`). */
export async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
}

/** Listens on `port` (0 picks a free one) and serves only GET/HEAD /metrics. */
export async function startMetricsServer(guard: ApiGuard, port: number, host: string): Promise<MetricsServer> {
  const app = express();
  app.disable('x-powered-by');
  app.get(METRICS_PATH, guard.metricsHandler);
  app.use((_req, res) => {
    res.status(404).type('text/plain').send(`Not found; metrics are at ${METRICS_PATH}\n`);
  });
  const server = http.createServer(app);
  return { server, url: `http://${await listen(server, port, host)}${METRICS_PATH}` };
}
