/**
 * The dual-package hazard (issue 10, item 3): an app that `import`s express-api-guard while one of
 * its CommonJS modules (or a dependency) `require`s it loads both builds. The trace ID set by one
 * build's middleware must still be the one the other build's getTraceId() and logger see, or log
 * lines lose the ID an operator searches for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packedInstall } from '../fixtures/packed-install.js';

const run = promisify(execFile);

// CommonJS code of the app: reads the trace ID and logs through the CommonJS build.
const COMMONJS_PART = `
const guard = require('express-api-guard');
const logger = guard.createLogger({ Console: true, Directory: __dirname + '/logs' });
module.exports = {
  traceId: guard.traceId,
  currentTraceId: () => guard.getTraceId(),
  log: (message) => logger.warn(message),
  close: () => logger.close(),
  build: require.resolve('express-api-guard'),
};
`;

// The ES module app: one router with the ESM build's traceId(), one with the CommonJS build's.
const APP = `
import express from 'express';
import { createRequire } from 'node:module';
import { traceId, getTraceId } from 'express-api-guard';
const cjs = createRequire(import.meta.url)('./commonjs-part.cjs');

const report = (label) => async (req, res) => {
  await new Promise((ok) => setImmediate(ok)); // across an async hop, as real handlers are
  cjs.log('handled ' + label);
  res.json({ esm: getTraceId() ?? null, cjs: cjs.currentTraceId() ?? null });
};
const app = express();
app.get('/esm-middleware', traceId(), report('esm-middleware'));
app.get('/cjs-middleware', cjs.traceId(), report('cjs-middleware'));

const server = app.listen(0, '127.0.0.1', async () => {
  const base = 'http://127.0.0.1:' + server.address().port;
  const results = {};
  for (const path of ['/esm-middleware', '/cjs-middleware']) {
    const res = await fetch(base + path);
    results[path] = { header: res.headers.get('x-trace-id'), body: await res.json() };
  }
  await cjs.close();
  server.close();
  console.log('RESULT ' + JSON.stringify({ results, builds: [import.meta.resolve('express-api-guard'), cjs.build] }));
});
`;

test('one request context whether the package is imported or required', { timeout: 240_000 }, async (t) => {
  const { dir: installed } = await packedInstall();
  const dir = mkdtempSync(join(installed, 'dual-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(dir, 'commonjs-part.cjs'), COMMONJS_PART);
  writeFileSync(join(dir, 'app.js'), APP);

  const { stdout } = await run(process.execPath, ['app.js'], { cwd: dir, env: { ...process.env, ASPNETCORE_ENVIRONMENT: 'Development' } });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  assert.ok(line, `no result line in:\n${stdout}`);
  const { results, builds } = JSON.parse(line.slice('RESULT '.length)) as {
    results: Record<string, { header: string | null; body: { esm: string | null; cjs: string | null } }>;
    builds: [string, string];
  };
  // Both builds really are loaded: the hazard is present, not avoided by resolution.
  assert.match(builds[0], /\/dist\/esm\/index\.js$/);
  assert.match(builds[1], /\/dist\/cjs\/index\.js$/);

  const logLines = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { traceId?: string; message?: string });
  for (const [path, { header, body }] of Object.entries(results)) {
    assert.ok(header, `${path}: no X-Trace-Id header`);
    assert.deepEqual(body, { esm: header, cjs: header }, `${path}: both builds see the middleware's trace ID`);
    const logged = logLines.find((l) => l.message === `handled ${path.slice(1)}`);
    assert.ok(logged, `${path}: the CommonJS logger wrote no line:\n${stdout}`);
    assert.equal(logged.traceId, header, `${path}: the log line carries the response's trace ID`);
  }
});
