/** Bench baseline for the logging suite: bare Express answering a small JSON body, no logging. */
import type { AddressInfo } from 'node:net';
import express from 'express';

interface BenchApp {
  url: string;
  close(): Promise<void>;
}

export async function start(): Promise<BenchApp> {
  const app = express();
  app.disable('etag');
  app.get('/api/v2/ping', (_req, res) => {
    res.json({ ok: true });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v2/ping`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
