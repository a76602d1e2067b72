/**
 * The published package as a consumer gets it (the shared pack + install of
 * test/fixtures/packed-install.ts), imported from ESM, required from CommonJS and type-checked by a
 * TypeScript consumer. Catches a broken `exports` map, a missing build file or declarations that do
 * not resolve — including declarations that would need tedious, an optional peer not installed here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packedInstall } from '../fixtures/packed-install.js';

const repo = resolve(import.meta.dirname, '..', '..');
// Every subpath export: each folder's index.ts.
const SUBPATHS = ['rate-limit', 'trace', 'logging', 'config', 'errors', 'https', 'health', 'metrics', 'cli'];
// The names DESIGN.md fixes as the public API; every one must be a runtime export.
const RUNTIME_NAMES = [
  'createApiGuard', 'loadConfig', 'rateLimit', 'MemoryStore', 'RedisStore', 'traceId', 'getTraceId',
  'requestLogger', 'createLogger', 'errorMapper', 'notFound', 'requireHttps', 'ApiError',
];

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test('packed tarball works from ESM, CommonJS and TypeScript consumers', { timeout: 240_000 }, async (t) => {
  const installed = await packedInstall();
  // Consumer projects below the shared install, each with its own package.json.
  const work = mkdtempSync(join(installed.dir, 'matrix-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));

  const expectNames = `for (const n of ${JSON.stringify(RUNTIME_NAMES)}) if (m[n] === undefined) throw new Error('missing export ' + n);`;

  await t.test('ESM import', () => {
    const dir = join(work, 'esm');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(dir, 'index.js'),
      `import * as m from 'express-api-guard';\nimport { createApiGuard, loadConfig, rateLimit } from 'express-api-guard';\n` +
      `${expectNames}\nif (typeof createApiGuard !== 'function' || typeof loadConfig !== 'function' || typeof rateLimit !== 'function') throw new Error('not functions');\n` +
      `for (const s of ${JSON.stringify(SUBPATHS)}) if (Object.keys(await import('express-api-guard/' + s)).length === 0) throw new Error('empty subpath ' + s);\n` +
      `console.log('esm ok');\n`);
    assert.equal(run(process.execPath, ['index.js'], dir).trim(), 'esm ok');
  });

  await t.test('CommonJS require', () => {
    const dir = join(work, 'cjs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'commonjs' }));
    writeFileSync(join(dir, 'index.js'),
      `const m = require('express-api-guard');\nconst { createApiGuard, loadConfig, rateLimit } = m;\n` +
      `${expectNames}\nif (typeof createApiGuard !== 'function' || typeof loadConfig !== 'function' || typeof rateLimit !== 'function') throw new Error('not functions');\n` +
      `for (const s of ${JSON.stringify(SUBPATHS)}) if (Object.keys(require('express-api-guard/' + s)).length === 0) throw new Error('empty subpath ' + s);\n` +
      `console.log('cjs ok');\n`);
    assert.equal(run(process.execPath, ['index.js'], dir).trim(), 'cjs ok');
  });

  await t.test('TypeScript consumer type-checks (ESM and CommonJS resolution)', () => {
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    for (const kind of ['module', 'commonjs'] as const) {
      const dir = join(work, `ts-${kind}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: kind }));
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
        // skipLibCheck false: our declarations are checked too, so one needing tedious would fail here.
        compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true, types: ['node'], skipLibCheck: false },
        include: ['index.ts'],
      }));
      writeFileSync(join(dir, 'index.ts'), [
        `import express from 'express';`,
        `import { createApiGuard, loadConfig, rateLimit, ApiError, type ApiGuardConfig } from 'express-api-guard';`,
        `import type { SqlConnectionConfig } from 'express-api-guard/config';`,
        `import { sqlCheck, health } from 'express-api-guard/health';`,
        `import { rateLimit as subpathRateLimit, MemoryStore } from 'express-api-guard/rate-limit';`,
        ...SUBPATHS.map((s, i) => `import * as subpath${i} from 'express-api-guard/${s}';`),
        `const sql: SqlConnectionConfig = loadConfig({ dir: '.' }).connectionString();`,
        `void sqlCheck(sql, { timeoutMs: 1000 }); void health; void subpathRateLimit({ store: new MemoryStore() });`,
        `void [${SUBPATHS.map((_, i) => `subpath${i}`).join(', ')}];`,
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
    const out = run(join(installed.dir, 'node_modules', '.bin', 'express-api-guard'), ['--help'], work);
    assert.match(out, /doctor/);
    assert.match(out, /trace/);
  });
});
