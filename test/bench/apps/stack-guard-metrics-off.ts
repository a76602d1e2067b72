/**
 * Bench: the same stack as stack-guard with `Metrics.Enabled: false`, measured beside it in the same
 * run: what the HTTP histogram and the limiter's instruments cost (issue 13: no more than 0.02).
 */
import { HIGH, type BenchApp } from './_shared/common.js';
import { startGuardStack } from './stack-guard.js';

export async function start(): Promise<BenchApp> {
  return startGuardStack(HIGH, false);
}
