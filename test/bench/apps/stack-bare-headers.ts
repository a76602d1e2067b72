/**
 * Bench baseline for the stack suite: bare Express sending static headers the size of the ones the
 * whole guard sends on an admitted request (X-Trace-Id, RateLimit-Policy for five rules, RateLimit),
 * no logging or counting. stack-guard compared with this shows what the guard's work costs apart
 * from the header bytes the IETF draft and the trace ID require.
 */
import express from 'express';
import { type BenchApp, listen } from './_shared/common.js';

const LIMIT = 1_000_000_000;
const POLICY = [
  ['rule0', 1],
  ['rule2', 60],
  ['rule3', 600],
  ['rule4', 3600],
  ['rule5', 43200],
]
  .map(([name, seconds]) => `"${name}";q=${LIMIT};w=${seconds}`)
  .join(', ');
const RATELIMIT = `"rule5";r=${LIMIT - 1};t=43200`;
// An aspnet-format ID: 13 base32 characters, a colon, 8 hex digits.
const TRACE_ID = '0HMGDP8E63BDF:00000001';

export async function start(): Promise<BenchApp> {
  const app = express();
  app.disable('etag');
  app.use((_req, res, next) => {
    res.setHeader('X-Trace-Id', TRACE_ID);
    res.setHeader('RateLimit-Policy', POLICY);
    res.setHeader('RateLimit', RATELIMIT);
    next();
  });
  return listen(app);
}
