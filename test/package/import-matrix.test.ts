/**
 * The published package as a consumer gets it (the shared pack + install of
 * test/fixtures/packed-install.ts), imported from ESM, required from CommonJS and type-checked by a
 * TypeScript consumer. Catches a broken `exports` map, a missing build file or declarations that do
 * not resolve — including declarations that would need an optional peer (tedious, prom-client,
 * @opentelemetry/api), none of which is installed here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { packedInstall } from '../fixtures/packed-install.js';

const repo = resolve(import.meta.dirname, '..', '..');
// Every subpath export: each folder's index.ts.
const SUBPATHS = ['rate-limit', 'trace', 'logging', 'config', 'errors', 'https', 'health', 'metrics', 'cli'];
// The names documented as the public API (README, docs); every one must be a runtime export.
const RUNTIME_NAMES = [
  'createApiGuard', 'loadConfig', 'rateLimit', 'MemoryStore', 'RedisStore', 'traceId', 'getTraceId',
  'requestLogger', 'createLogger', 'errorMapper', 'notFound', 'requireHttps', 'ApiError',
];

// Optional peer dependencies: a consumer need not have them, so no published declaration may name them.
// (tedious is not listed: dist/cjs/health/load-tedious.d.ts names it, but no entry point reaches that
// file, which the consumer type-check below proves for every entry point.)
const OPTIONAL_PEERS = /^(?:prom-client|@opentelemetry\/[^/]+)(?:\/|$)/;

function declarationFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) declarationFiles(path, out);
    else if (entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Every module a declaration file refers to: imports, exports, `import('…')` types, `/// <reference types>`. */
function referencedModules(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found = source.typeReferenceDirectives.map((directive) => directive.fileName);
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    } else if (ts.isExternalModuleReference(node) && ts.isStringLiteral(node.expression)) {
      found.push(node.expression.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

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

  await t.test('no published declaration refers to an optional peer dependency', () => {
    const dist = join(installed.dir, 'node_modules', 'express-api-guard', 'dist');
    const files = declarationFiles(dist);
    assert.ok(files.length > 50, `declarations found: ${files.length}`);
    const offending = files.flatMap((file) => referencedModules(file).filter((name) => OPTIONAL_PEERS.test(name)).map((name) => `${file.slice(dist.length + 1)}: ${name}`));
    assert.deepEqual(offending, []);
  });

  await t.test('TypeScript consumer type-checks (ESM and CommonJS resolution)', () => {
    for (const peer of ['tedious', 'prom-client', '@opentelemetry/api']) {
      assert.ok(!existsSync(join(installed.dir, 'node_modules', peer)), `${peer} (an optional peer) must not be installed here`);
    }
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
        `import { createMetricsRegistry, metricsHandler, type MetricsRegistry } from 'express-api-guard/metrics';`,
        ...SUBPATHS.map((s, i) => `import * as subpath${i} from 'express-api-guard/${s}';`),
        `const sql: SqlConnectionConfig = loadConfig({ dir: '.' }).connectionString();`,
        `void sqlCheck(sql, { timeoutMs: 1000 }); void health; void subpathRateLimit({ store: new MemoryStore() });`,
        `void [${SUBPATHS.map((_, i) => `subpath${i}`).join(', ')}];`,
        `const app = express();`,
        `app.use(rateLimit({ rules: [{ name: 'burst', endpoint: '*', period: '1s', limit: 20 }] }));`,
        `const load = (dir: string): ApiGuardConfig => loadConfig({ dir });`,
        `const err: ApiError = new ApiError('Name is required', { status: 400, type: 'Validation' });`,
        `void createApiGuard; void load; void err;`,
        // The metrics types without prom-client: guard.metrics and the registry option are ours.
        `const registry: MetricsRegistry = createMetricsRegistry();`,
        `app.get('/metrics', metricsHandler(registry)); app.use(rateLimit({ registry }));`,
        `void createApiGuard({ configDir: '.' }).then((guard) => guard.metrics?.metrics().then((text: string) => text.length));`,
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
