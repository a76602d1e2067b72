import assert from 'node:assert/strict';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { runCli, tempDir } from './helpers.js';

const ID = '0HMGDP8E63BDF:00000004';
const OTHER = '0HMGDP8E63BDF:00000005';
const DAY = 86_400_000;

function line(time: number, traceId: string, message: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ timestamp: new Date(time).toISOString(), level: 'info', category: 'Http', message, traceId, ...extra });
}

function day(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** A logs folder with yesterday's lines rotated into a .gz and today's in a plain file. */
function writeLogs(dir: string, now: number): { old: number; recent: number } {
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  const old = now - 5 * DAY;
  const recent = now - 60_000;
  const gz = join(logs, `api-${day(old)}.log.gz`);
  writeFileSync(
    gz,
    gzipSync(
      [
        line(old + 2, ID, 'GET /api/v2/tickets 200 3ms', { status: 200 }),
        line(old + 1, OTHER, 'GET /api/v2/other 200 1ms'),
        line(old, ID, 'request started'),
      ].join('\n') + '\n',
    ),
  );
  utimesSync(gz, new Date(old + 10), new Date(old + 10));
  const plain = join(logs, `api-${day(recent)}.log`);
  writeFileSync(
    plain,
    [
      line(recent + 5, ID, 'POST /api/v2/tickets 429 0ms', { rule: 'writes' }),
      `${new Date(recent + 3).toISOString()} plain text line about ${ID}`,
      line(recent + 1, OTHER, `mentions ${ID} but belongs to another request`),
      line(recent, ID, 'rate limited', { level: 'warn' }),
    ].join('\n') + '\n',
  );
  writeFileSync(join(logs, 'unrelated.txt'), `${ID}\n`);
  return { old, recent };
}

// Each test spawns the CLI and waits on it; running a few at once keeps the folder fast.
describe('trace', { concurrency: 3 }, () => {
  test('trace finds the lines across a gzipped rotated file and a plain file, in time order', async (t) => {
    const dir = tempDir(t);
    const { old, recent } = writeLogs(dir, Date.now());
    const result = await runCli(['trace', ID, '--logs', join(dir, 'logs')]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.deepEqual(lines, [
      `${new Date(old).toISOString()}  Information  Http  request started`,
      `${new Date(old + 2).toISOString()}  Information  Http  GET /api/v2/tickets 200 3ms  {"status":200}`,
      `${new Date(recent).toISOString()}  Warning      Http  rate limited`,
      `${new Date(recent + 3).toISOString()} plain text line about ${ID}`,
      `${new Date(recent + 5).toISOString()}  Information  Http  POST /api/v2/tickets 429 0ms  {"rule":"writes"}`,
    ]);
    assert.match(result.stderr, /5 lines for trace 0HMGDP8E63BDF:00000004 in 2 files/);
  });

  test('trace --since leaves out older files and lines; --json gives the entries', async (t) => {
    const dir = tempDir(t);
    const { recent } = writeLogs(dir, Date.now());
    const result = await runCli(['trace', ID.toLowerCase(), '--logs', join(dir, 'logs'), '--since', '2d', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { version: number; filesSearched: number; entries: { timestamp: string; file: string; line: number }[] };
    assert.equal(report.version, 1);
    assert.equal(report.filesSearched, 1);
    assert.deepEqual(
      report.entries.map((e) => e.timestamp),
      [recent, recent + 3, recent + 5].map((t) => new Date(t).toISOString()),
    );
    assert.equal(report.entries[0]?.file, `api-${day(recent)}.log`);
    assert.equal(report.entries[0]?.line, 4);
  });

  test('trace exits 1 when no line matches', async (t) => {
    const dir = tempDir(t);
    writeLogs(dir, Date.now());
    const result = await runCli(['trace', '0HMGDP8E63BDF:000000FF', '--logs', join(dir, 'logs')]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /no lines for trace 0HMGDP8E63BDF:000000FF in 2 files/);
  });

  test('trace reads Logging.Directory from the config in the current folder, and survives a damaged .gz', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'appsettings.json'), JSON.stringify({ Logging: { Directory: 'applogs' } }));
    mkdirSync(join(dir, 'applogs'));
    const now = Date.now();
    writeFileSync(join(dir, 'applogs', `api-${day(now)}.log`), line(now, ID, 'found via config') + '\n');
    writeFileSync(join(dir, 'applogs', 'api-2020-01-01.log.gz'), gzipSync(line(now, ID, 'x')).subarray(0, 20));
    const result = await runCli(['trace', ID], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /found via config/);
    assert.match(result.stderr, /warning: api-2020-01-01\.log\.gz: could not be read to the end/);
  });

  test('trace exits 1 with advice when the logs folder is missing', async (t) => {
    const dir = tempDir(t);
    const result = await runCli(['trace', ID], { cwd: dir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no logs folder at .*logs; pass --logs DIR/);
  });

  test('trace finds what the real logger wrote, after the file was rotated and gzipped', async (t) => {
    const { createLogger } = await import('../../lib/logging/index.js');
    const { runWithContext } = await import('../../lib/core/index.js');
    const { readdirSync, readFileSync, rmSync } = await import('node:fs');
    const dir = tempDir(t);
    const logs = join(dir, 'logs');
    const logger = createLogger({ Directory: logs, Console: false });
    const http = logger.forCategory('Http');
    runWithContext({ traceId: ID }, () => http.info('GET /api/v2/tickets 200 3ms', { status: 200 }));
    runWithContext({ traceId: OTHER }, () => http.info('GET /api/v2/other 200 1ms'));
    await logger.close();
    // Rotate as logrotate would: compress today's file away, then the app writes a new one.
    const [name] = readdirSync(logs).filter((n) => n.startsWith('api-'));
    assert.ok(name, 'the logger wrote no file');
    writeFileSync(join(logs, `${name}.1.gz`), gzipSync(readFileSync(join(logs, name))));
    rmSync(join(logs, name));
    const again = createLogger({ Directory: logs, Console: false });
    runWithContext({ traceId: ID }, () => again.forCategory('Errors').error('something broke'));
    await again.close();

    const result = await runCli(['trace', ID, '--logs', logs]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 2, result.stdout);
    assert.match(lines[0] ?? '', /^\d{4}-\d\d-\d\dT[\d:.]+Z {2}Information {2}Http {2}GET \/api\/v2\/tickets 200 3ms {2}\{"status":200\}$/);
    assert.match(lines[1] ?? '', /^\d{4}-\d\d-\d\dT[\d:.]+Z {2}Error {8}Errors {2}something broke$/);
  });
});
