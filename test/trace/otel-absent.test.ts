/**
 * Without an OpenTelemetry SDK nothing changes: trace IDs keep the configured format, log lines carry
 * no span ID, and @opentelemetry/api is not loaded by the guard. And where @opentelemetry/api cannot
 * be found at all (an optional peer), even a registered SDK global does not break a request.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import express from 'express';
import { createApiGuard } from '../../lib/index.js';
import { listen } from '../metrics/helpers.js';

const ASPNET = /^[0-9A-V]{13}:[0-9A-F]{8}$/;

test('no SDK registered: aspnet IDs as configured, no spanId, @opentelemetry/api not loaded', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'guard-no-otel-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // Metrics off: prom-client itself loads @opentelemetry/api (for exemplars), which is not ours to avoid.
  writeFileSync(path.join(dir, 'appsettings.json'), JSON.stringify({ Https: { Required: false }, Logging: { Console: false, Directory: 'logs' }, Metrics: { Enabled: false } }));
  const guard = await createApiGuard({ configDir: dir, env: {}, watch: false });
  const app = express();
  app.use(guard.before);
  app.get('/x', (_req, res) => {
    guard.logger.info('handled');
    res.json({});
  });
  app.use(guard.after);
  const { origin } = await listen(t, app);
  const ok = await fetch(`${origin}/x`);
  const missing = await fetch(`${origin}/missing`);
  const body = (await missing.json()) as { traceId: string };
  await ok.arrayBuffer();
  assert.match(ok.headers.get('x-trace-id') ?? '', ASPNET);
  assert.match(body.traceId, ASPNET);
  assert.equal(missing.headers.get('x-trace-id'), body.traceId);
  await guard.close();
  const logs = path.join(dir, 'logs');
  const lines = readdirSync(logs).filter((f) => f.endsWith('.log')).flatMap((f) => readFileSync(path.join(logs, f), 'utf8').split('\n')).filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  const handled = lines.find((l) => l.message === 'handled');
  assert.equal(handled?.traceId, ok.headers.get('x-trace-id'));
  assert.ok(lines.every((l) => !('spanId' in l)), 'no line carries a spanId');
  const loaded = Object.keys(createRequire(import.meta.url).cache).filter((f) => f.includes('/@opentelemetry/api/'));
  assert.deepEqual(loaded, []);
});

test('@opentelemetry/api not installed: a registered SDK global is ignored and requests are answered as before', () => {
  // A process whose working directory has no node_modules: under tsx the guard resolves optional
  // modules from there (the published CommonJS build resolves from its own install), so the API is
  // "not installed". Metrics are off because prom-client would not be found either.
  const repo = path.resolve(import.meta.dirname, '..', '..');
  const empty = mkdtempSync(path.join(tmpdir(), 'no-otel-api-'));
  try {
    writeFileSync(path.join(empty, 'appsettings.json'), JSON.stringify({ Https: { Required: false }, Logging: { Console: false, Directory: 'logs' }, Metrics: { Enabled: false } }));
    const script = `
      // What an SDK leaves behind: the API's global with a context manager in it.
      globalThis[Symbol.for('opentelemetry.js.api.1')] = { version: '1.9.0', context: { active() { throw new Error('must not be used'); } } };
      const { createApiGuard } = await import(${JSON.stringify(path.join(repo, 'lib', 'index.ts'))});
      const { default: express } = await import(${JSON.stringify(createRequire(import.meta.url).resolve('express'))});
      const guard = await createApiGuard({ configDir: process.cwd(), env: {}, watch: false });
      const app = express();
      app.use(guard.before);
      app.get('/x', (req, res) => res.json({}));
      const server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      const response = await fetch('http://127.0.0.1:' + server.address().port + '/x');
      console.log(JSON.stringify({ status: response.status, traceId: response.headers.get('x-trace-id') }));
      server.close();
      await guard.close();
    `;
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const out = execFileSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { cwd: empty, encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { status: number; traceId: string };
    assert.equal(result.status, 200);
    assert.match(result.traceId, ASPNET);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
