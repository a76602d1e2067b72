/**
 * An edit saved while createApiGuard() is still starting (here: waiting on a Redis that never
 * answers) must not be lost: the guard has to end up running the edited file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApiGuard } from '../../lib/guard/index.js';

function settings(url: string, limit: number): string {
  return JSON.stringify({
    RateLimiting: {
      Store: 'redis',
      Redis: { Url: url, OnError: 'open' },
      Rules: [{ Name: 'minute', Endpoint: '*', Period: '1m', Limit: limit }],
    },
    Logging: { Console: false },
  });
}

test('a config edit made during startup is applied once the guard is up', async (t) => {
  // Accepts connections and never answers, so the startup Redis check waits for its timeout.
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const url = `redis://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'guard-startup-edit-'));
  t.after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });
  writeFileSync(path.join(dir, 'appsettings.json'), settings(url, 5));

  const starting = createApiGuard({ configDir: dir, environment: 'Test', env: {}, debounceMs: 20 });
  await sleep(300);
  writeFileSync(path.join(dir, 'appsettings.json'), settings(url, 7));
  const guard = await starting;
  t.after(() => guard.close());

  const deadline = Date.now() + 3000;
  while (guard.config.RateLimiting.Rules[0]?.Limit !== 7 && Date.now() < deadline) await sleep(25);
  assert.equal(guard.config.RateLimiting.Rules[0]?.Limit, 7, 'the edit saved during startup was applied');
});
