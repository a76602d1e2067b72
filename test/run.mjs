#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's own test runner (through tsx, since Node 20 cannot strip
// types and its --test flag does not expand globs). `node test/run.mjs test/config` runs one folder.
import { spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';
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
// Redis is part of the test environment (README, "Requirements"): the shared server for most Redis
// tests, and the redis-server / redis-cli binaries for the tests that start their own (faults,
// Cluster, Sentinel). Checked once up front so a missing piece is one clear line, not dozens of
// failures with raw ioredis errors or a suite that hangs waiting for a connection.
async function redisProblem() {
  const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const reply = await new Promise((resolve) => {
    const socket = createConnection({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 6379) });
    const done = (value) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(3000, () => done('no answer within 3 s'));
    socket.once('error', (error) => done(error.code ?? error.message));
    // PING works with or without AUTH configured: an auth error still proves a server is there.
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString()) ? null : `unexpected reply ${JSON.stringify(data.toString().slice(0, 40))}`));
  });
  if (reply !== null) return `Redis at ${url.host} (REDIS_URL) is not reachable: ${reply}. Start it (redis-server --daemonize yes) or point REDIS_URL at one.`;
  for (const binary of ['redis-server', 'redis-cli']) {
    if (spawnSync(binary, ['--version'], { stdio: 'ignore' }).status !== 0) {
      return `${binary} is not on PATH; the fault, Cluster and Sentinel tests start their own Redis servers (apt-get install redis-server).`;
    }
  }
  return null;
}

const problem = await redisProblem();
if (problem !== null) {
  console.error(`npm test: ${problem}`);
  process.exit(1);
}

// One `npm pack` + install per run, shared by the test files that need the published package
// (test/fixtures/packed-install.ts); a folder given in the environment is kept, ours is removed.
const packedDir = process.env.EAG_PACKED_DIR ?? mkdtempSync(join(tmpdir(), 'eag-packed-'));
// Per test file: 5 minutes. The slowest file (10,000 property cases through four apps) needs about
// 35-50 s on an idle 2-core machine and over 120 s with a benchmark and more load beside it; a hang
// still ends.
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, `--test-timeout=${process.env.TEST_TIMEOUT_MS ?? 300_000}`, ...files.map((f) => relative(process.cwd(), f))],
  { stdio: 'inherit', env: { ...process.env, EAG_PACKED_DIR: packedDir } },
);
if (!process.env.EAG_PACKED_DIR) rmSync(packedDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
