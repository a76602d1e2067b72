/**
 * Edits saved while createApiGuard() is still starting (here: waiting on a Redis that never answers)
 * must not be lost: a valid edit is running once the guard is up, a rejected one is in the log.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createApiGuard } from '../../lib/guard/index.js';
import { readLogLines } from '../logging/helpers.js';
import { waitFor } from '../integration/helpers.js';

function settings(url: string, limit: number | string): string {
  return JSON.stringify(
    {
      RateLimiting: {
        Store: 'redis',
        Redis: { Url: url, OnError: 'open' },
        Rules: [{ Name: 'minute', Endpoint: '*', Period: '1m', Limit: limit }],
      },
      Logging: { Console: false, Directory: 'logs' },
    },
    null,
    2,
  );
}

/** A Redis stand-in that accepts connections and never answers: the startup check waits its full timeout. */
async function silentRedis(t: { after(fn: () => Promise<void>): void }): Promise<{ url: string; connected: Promise<unknown> }> {
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
  return { url: `redis://127.0.0.1:${(silent.address() as AddressInfo).port}`, connected: once(silent, 'connection') };
}

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'guard-startup-edit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a config edit made during startup is applied once the guard is up', async (t) => {
  const redis = await silentRedis(t);
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'appsettings.json'), settings(redis.url, 5));

  const starting = createApiGuard({ configDir: dir, environment: 'Test', env: {}, debounceMs: 20 });
  await redis.connected; // startup is now inside the Redis check
  writeFileSync(path.join(dir, 'appsettings.json'), settings(redis.url, 7));
  const guard = await starting;
  t.after(() => guard.close());

  await waitFor('the edit to be applied', () => guard.config.RateLimiting.Rules[0]?.Limit === 7, 3000);
  assert.equal(guard.config.RateLimiting.Rules[0]?.Limit, 7, 'the edit saved during startup was applied');
});

test('a bad edit saved while the startup Redis check runs is logged with its location', async (t) => {
  const redis = await silentRedis(t);
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'appsettings.json'), settings(redis.url, 5));

  const starting = createApiGuard({ configDir: dir, environment: 'Test', env: {}, debounceMs: 20 });
  await redis.connected; // the Redis check waits ~2 s; the watcher reloads 20 ms after the save
  writeFileSync(path.join(dir, 'appsettings.json'), settings(redis.url, 'lots'));
  const guard = await starting;
  await guard.close(); // flushes the log file

  assert.equal(guard.config.RateLimiting.Rules[0]?.Limit, 5, 'the rejected edit is not applied');
  const rejected = readLogLines(path.join(dir, 'logs')).find((line) => line.code === 'CONFIG_INVALID');
  assert.ok(rejected, 'the rejected edit is in the log');
  assert.equal(rejected.file, 'appsettings.json');
  assert.equal(rejected.line, 13);
  assert.equal(rejected.path, 'RateLimiting.Rules[0].Limit');
  assert.match(String(rejected.message), /"lots" is not a number/);
});
