#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's own test runner (through tsx, since Node 20 cannot strip
// types and its --test flag does not expand globs). `node test/run.mjs test/config` runs one folder.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const SKIP = new Set(['fixtures', 'bench', 'node_modules']);

function collect(path, out) {
  if (statSync(path).isFile()) {
    if (path.endsWith('.test.ts')) out.push(path);
    return out;
  }
  for (const name of readdirSync(path).sort()) {
    if (SKIP.has(name) || name.startsWith('.')) continue;
    collect(join(path, name), out);
  }
  return out;
}

const roots = process.argv.slice(2);
const files = (roots.length ? roots : ['test']).flatMap((root) => collect(root, []));
if (files.length === 0) {
  console.error('no test files found under', roots.join(' ') || 'test');
  process.exit(1);
}
// One `npm pack` + install per run, shared by the test files that need the published package
// (test/fixtures/packed-install.ts); a folder given in the environment is kept, ours is removed.
const packedDir = process.env.EAG_PACKED_DIR ?? mkdtempSync(join(tmpdir(), 'eag-packed-'));
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...files.map((f) => relative(process.cwd(), f))],
  { stdio: 'inherit', env: { ...process.env, EAG_PACKED_DIR: packedDir } },
);
if (!process.env.EAG_PACKED_DIR) rmSync(packedDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
