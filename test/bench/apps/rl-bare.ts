/** Bench baseline for the rate-limit suite: bare Express answering a small JSON body. */
import express from 'express';
import { type BenchApp, listen } from './_shared/common.js';

export async function start(): Promise<BenchApp> {
  const app = express();
  app.disable('etag');
  return listen(app);
}
