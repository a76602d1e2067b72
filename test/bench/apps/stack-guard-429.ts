/**
 * Bench: the same stack as stack-guard, but the limit is 1, so after the first request every request
 * is rejected with 429 (error envelope, Retry-After, log line): what a flood costs compared to admitted traffic.
 */
import type { BenchApp } from './_shared/common.js';
import { startGuardStack } from './stack-guard.js';

export async function start(): Promise<BenchApp> {
  return startGuardStack(1);
}
