/**
 * Bench baseline: bare Express sending static rate-limit headers of the same size as the
 * guard's (draft-10 RateLimit-Policy for the five GET rules, and RateLimit). The gap between
 * rl-bare and this app is what the header bytes the IETF draft asks for cost, on the server and
 * on the load generator sharing its cores; no counting happens here.
 */
import express from 'express';
import { type BenchApp, listen, SIX_RULES } from './_shared/common.js';

const PERIOD_SECONDS: Readonly<Record<string, number>> = { '1s': 1, '1m': 60, '10m': 600, '1h': 3600, '12h': 43200 };

/** The policy the guard sends for a GET: every rule but the write-only one. */
export const GET_POLICY = SIX_RULES.filter((rule) => rule.endpoint === '*')
  .map((rule) => `"${rule.name}";q=${rule.limit};w=${PERIOD_SECONDS[rule.period] ?? 0}`)
  .join(', ');
/** Same length as the guard's `RateLimit` value for the longest window, near the start of a run. */
export const GET_RATELIMIT = `"12h";r=${SIX_RULES[5].limit - 1};t=43200`;

export async function start(): Promise<BenchApp> {
  const app = express();
  app.disable('etag');
  app.use((_req, res, next) => {
    res.setHeader('RateLimit-Policy', GET_POLICY);
    res.setHeader('RateLimit', GET_RATELIMIT);
    next();
  });
  return listen(app);
}
