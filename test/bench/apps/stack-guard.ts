/**
 * Bench: the whole guard (before + after) built from config in a temp dir (memory store, request log
 * to a file, no console, metrics on as by default) around one trivial JSON route; limits never trip.
 * stack-guard-429 and stack-guard-metrics-off reuse it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { type BenchApp, addPingRoute, serve } from './_shared/common.js';
import { createApiGuard } from '../../../lib/index.js';

const PERIODS = ['1s', '1s', '1m', '10m', '1h', '12h'];

/** Six rules shaped like the defaults (the second counts writes only), every one with `limit`. */
export async function startGuardStack(limit: number, metrics = true): Promise<BenchApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-stack-'));
  writeFileSync(path.join(dir, 'appsettings.json'), '{}\n');
  const rules = PERIODS.map((period, i) => ({
    Name: `rule${i}`,
    Endpoint: i === 1 ? 'post,put,patch,delete:*' : '*',
    Period: period,
    Limit: limit,
  }));
  const guard = await createApiGuard({
    configDir: dir,
    environment: 'Development',
    watch: false,
    env: {},
    overrides: {
      RateLimiting: { Store: 'memory', Rules: rules },
      Logging: { Directory: path.join(dir, 'logs'), Console: false, LogLevel: { Default: 'Information' } },
      Metrics: { Enabled: metrics },
    },
  });
  const app = express();
  app.disable('etag');
  app.use(guard.before);
  addPingRoute(app);
  app.use(guard.after);
  return serve(app, async () => {
    await guard.close();
    rmSync(dir, { recursive: true, force: true });
  });
}

export async function start(): Promise<BenchApp> {
  return startGuardStack(1_000_000_000);
}
