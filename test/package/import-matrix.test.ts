/**
 * The published package as a consumer gets it: `npm pack`, install the tarball into temporary
 * projects, then import it from ESM, require it from CommonJS and type-check a TypeScript consumer.
 * Catches a broken `exports` map, a missing build file or declarations that do not resolve.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// The names DESIGN.md fixes as the public API; every one must be a runtime export.
const RUNTIME_NAMES = [
  'createApiGuard', 'loadConfig', 'rateLimit', 'MemoryStore', 'RedisStore', 'traceId', 'getTraceId',
  'requestLogger', 'createLogger', 'errorMapper', 'notFound', 'requireHttps', 'ApiError',
];

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test('packed tarball works from ESM, CommonJS and TypeScript consumers', { timeout: 240_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'eag-matrix-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));

  run(npm, ['pack', '--silent', '--pack-destination', work], repo);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack produced no tarball');

  // One install shared by three consumer projects below it, each with its own package.json.
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'consumers', private: true }));
  run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts',
    join(work, tarball), 'express@5', '@types/express@5', '@types/node@20'], work);

  const expectNames = `for (const n of ${JSON.stringify(RUNTIME_NAMES)}) if (m[n] === undefined) throw new Error('missing export ' + n);`;

  await t.test('ESM import', () => {
    const dir = join(work, 'esm');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(dir, 'index.js'),
      `import * as m from 'express-api-guard';\nimport { createApiGuard, loadConfig, rateLimit } from 'express-api-guard';\n` +
      `${expectNames}\nif (typeof createApiGuard !== 'function' || typeof loadConfig !== 'function' || typeof rateLimit !== 'function') throw new Error('not functions');\nconsole.log('esm ok');\n`);
    assert.equal(run(process.execPath, ['index.js'], dir).trim(), 'esm ok');
  });

  await t.test('CommonJS require', () => {
    const dir = join(work, 'cjs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'commonjs' }));
    writeFileSync(join(dir, 'index.js'),
      `const m = require('express-api-guard');\nconst { createApiGuard, loadConfig, rateLimit } = m;\n` +
      `${expectNames}\nif (typeof createApiGuard !== 'function' || typeof loadConfig !== 'function' || typeof rateLimit !== 'function') throw new Error('not functions');\nconsole.log('cjs ok');\n`);
    assert.equal(run(process.execPath, ['index.js'], dir).trim(), 'cjs ok');
  });

  await t.test('TypeScript consumer type-checks (ESM and CommonJS resolution)', () => {
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    for (const kind of ['module', 'commonjs'] as const) {
      const dir = join(work, `ts-${kind}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: kind }));
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
        compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true, types: ['node'] },
        include: ['index.ts'],
      }));
      writeFileSync(join(dir, 'index.ts'), [
        `import express from 'express';`,
        `import { createApiGuard, loadConfig, rateLimit, ApiError, type ApiGuardConfig } from 'express-api-guard';`,
        `const app = express();`,
        `app.use(rateLimit({ rules: [{ name: 'burst', endpoint: '*', period: '1s', limit: 20 }] }));`,
        `const load = (dir: string): ApiGuardConfig => loadConfig({ dir });`,
        `const err: ApiError = new ApiError('Name is required', { status: 400, type: 'Validation' });`,
        `void createApiGuard; void load; void err;`,
        `// @ts-expect-error a wrong option type must not compile`,
        `rateLimit({ statusCode: 'four hundred' });`,
        '',
      ].join('\n'));
      run(process.execPath, [tsc, '-p', dir], dir);
    }
  });

  await t.test('bin is installed and answers --help', () => {
    const out = run(join(work, 'node_modules', '.bin', 'express-api-guard'), ['--help'], work);
    assert.match(out, /doctor/);
    assert.match(out, /trace/);
  });
});
