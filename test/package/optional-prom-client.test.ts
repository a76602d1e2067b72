/**
 * prom-client is an optional peer dependency. In an install without it, as a consumer gets by
 * default (the shared pack + install, production dependencies only), from both builds:
 * createApiGuard with `Metrics.Enabled` true (the default) starts with metrics off, says so in ONE
 * Information line naming `npm install prom-client`, and its metricsHandler passes requests on;
 * `rateLimit({ registry })` fails at construction with an OptionsError saying to install it; the
 * factories of `express-api-guard/metrics` that need it throw naming `npm install prom-client`. The
 * behaviour with prom-client installed is tested in test/metrics.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packedInstall } from '../fixtures/packed-install.js';

const run = promisify(execFile);
const INSTALL_HINT = /npm install prom-client/;

// The same script from the ES module build (`import`) and the CommonJS build (`require`): their
// "module not found" errors differ ("Cannot find package" / "Cannot find module").
const CHECKS = `
  const lines = [];
  const sink = Object.fromEntries(['debug', 'info', 'warn', 'error'].map((level) => [level, (message) => lines.push({ level, message })]));
  const failure = (fn) => { try { fn(); return null; } catch (error) { return { name: error.name, code: error.code, message: error.message }; } };
  const guard = await m.createApiGuard({ configDir: process.cwd(), env: {}, watch: false, logger: sink });
  const app = m.express();
  app.get('/metrics', guard.metricsHandler);
  app.use((req, res) => res.status(404).send('app 404'));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const scrape = await fetch('http://127.0.0.1:' + server.address().port + '/metrics');
  const scraped = { status: scrape.status, body: await scrape.text() };
  server.close();
  await guard.close();
  // A registry from somewhere else (another copy of prom-client the package cannot load).
  const registry = { metrics: async () => '', contentType: 'text/plain', getSingleMetric: () => undefined, registerMetric() {} };
  const plain = m.rateLimit();
  await plain.close();
  console.log(JSON.stringify({
    metrics: guard.metrics === undefined ? 'undefined' : 'a registry',
    lines,
    scraped,
    rateLimit: failure(() => m.rateLimit({ registry })),
    createMetricsRegistry: failure(() => m.createMetricsRegistry()),
    guardMetrics: failure(() => m.guardMetrics(registry)),
  }));
`;
const ESM = `import express from 'express';\nimport { createApiGuard, rateLimit } from 'express-api-guard';\nimport { createMetricsRegistry, guardMetrics } from 'express-api-guard/metrics';\nconst m = { express, createApiGuard, rateLimit, createMetricsRegistry, guardMetrics };\n${CHECKS}`;
const CJS = `const m = { express: require('express'), ...require('express-api-guard'), ...require('express-api-guard/metrics') };\n(async () => {${CHECKS}})();\n`;

interface Failure {
  name: string;
  code?: string;
  message: string;
}
interface Outcome {
  metrics: string;
  lines: Array<{ level: string; message: string }>;
  scraped: { status: number; body: string };
  rateLimit: Failure | null;
  createMetricsRegistry: Failure | null;
  guardMetrics: Failure | null;
}

test('without prom-client installed, metrics are off and everything that needs it says how to install it', { timeout: 240_000 }, async (t) => {
  const { dir: installed } = await packedInstall();
  assert.ok(!existsSync(join(installed, 'node_modules', 'prom-client')), 'the consumer install must not contain the optional prom-client');
  const dir = mkdtempSync(join(installed, 'without-peer-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // Metrics.Enabled is left at its default, true.
  writeFileSync(join(dir, 'appsettings.json'), JSON.stringify({ Https: { Required: false }, Logging: { Console: false } }));
  writeFileSync(join(dir, 'check.mjs'), ESM);
  writeFileSync(join(dir, 'check.cjs'), CJS);

  for (const script of ['check.mjs', 'check.cjs']) {
    await t.test(script, async () => {
      const { stdout, stderr } = await run(process.execPath, [script], { cwd: dir });
      const outcome = JSON.parse(stdout) as Outcome;
      assert.equal(outcome.metrics, 'undefined', 'guard.metrics');
      const notices = outcome.lines.filter((line) => /prom-client|^Metrics/.test(line.message));
      assert.equal(notices.length, 1, JSON.stringify(outcome.lines));
      assert.equal(notices[0]?.level, 'info');
      assert.match(notices[0]?.message ?? '', /Metrics are off/);
      assert.match(notices[0]?.message ?? '', INSTALL_HINT);
      assert.deepEqual(outcome.scraped, { status: 404, body: 'app 404' }, 'metricsHandler passes the request on');
      assert.equal(stderr, '', 'nothing on stderr');

      assert.equal(outcome.rateLimit?.name, 'OptionsError');
      assert.equal(outcome.rateLimit?.code, 'ERR_RATE_LIMIT_PROM_CLIENT_MISSING');
      assert.match(outcome.rateLimit?.message ?? '', /registry/);
      assert.match(outcome.rateLimit?.message ?? '', INSTALL_HINT);
      for (const factory of [outcome.createMetricsRegistry, outcome.guardMetrics]) {
        assert.equal(factory?.code, 'ERR_PROM_CLIENT_MISSING');
        assert.match(factory?.message ?? '', INSTALL_HINT);
      }
    });
  }
});
