/**
 * The public surface, entry point by entry point: every exported name and whether it is a value or
 * only a type. A change to it is a change to the package's contract, so it must be deliberate:
 * run `UPDATE_API_SNAPSHOT=1 node test/run.mjs test/package/api-snapshot.test.ts` and commit the
 * snapshot with the change (and a CHANGELOG line).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const repo = resolve(import.meta.dirname, '..', '..');
const snapshotFile = join(import.meta.dirname, 'api-snapshot.json');
const packageJson = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };

/** `.` → lib/index.ts, `./rate-limit` → lib/rate-limit/index.ts; from the exports map, so a new subpath is seen. */
function entryPoints(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const key of Object.keys(packageJson.exports)) {
    if (key === './package.json') continue;
    entries.set(key, key === '.' ? join(repo, 'lib', 'index.ts') : join(repo, 'lib', key.slice(2), 'index.ts'));
  }
  return entries;
}

function surface(): Record<string, string[]> {
  const entries = entryPoints();
  const program = ts.createProgram([...entries.values()], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const out: Record<string, string[]> = {};
  for (const [name, file] of entries) {
    const source = program.getSourceFile(file);
    assert.ok(source, `${name}: ${file} is missing`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    assert.ok(moduleSymbol, `${name}: not a module`);
    out[name] = checker
      .getExportsOfModule(moduleSymbol)
      .map((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        return `${symbol.name}${target.flags & ts.SymbolFlags.Value ? '' : ' (type)'}`;
      })
      .sort();
  }
  return out;
}

test('the public API matches the committed snapshot', () => {
  const actual = surface();
  if (process.env.UPDATE_API_SNAPSHOT === '1' || !existsSync(snapshotFile)) {
    writeFileSync(snapshotFile, JSON.stringify(actual, null, 2) + '\n');
  }
  const expected = JSON.parse(readFileSync(snapshotFile, 'utf8')) as Record<string, string[]>;
  assert.deepEqual(actual, expected, 'the public API changed; if that is intended, update the snapshot (see this file’s header)');
  const root = actual['.'] ?? [];
  // The documented public names are all runtime exports of the package root.
  for (const name of ['createApiGuard', 'loadConfig', 'rateLimit', 'MemoryStore', 'RedisStore', 'traceId', 'getTraceId',
    'requestLogger', 'createLogger', 'errorMapper', 'notFound', 'requireHttps', 'ApiError']) {
    assert.ok(root.includes(name), `the root must export ${name}`);
  }
});
