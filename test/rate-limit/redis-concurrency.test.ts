/** Over-admission: 4 processes hitting one client concurrently through one Redis admit exactly the limit. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { REDIS_URL, uniquePrefix } from './helpers.js';

it('4 processes x 200 concurrent attempts for one client: admitted == limit (100)', async (t) => {
  const prefix = uniquePrefix('concurrency');
  const script = fileURLToPath(new URL('./fixtures/redis-hammer.ts', import.meta.url));
  const children = Array.from({ length: 4 }, () =>
    spawn(process.execPath, ['--import', 'tsx', script, REDIS_URL, prefix, '200', '25'], { stdio: ['pipe', 'pipe', 'inherit'] }),
  );
  const redis = new Redis(REDIS_URL);
  try {
    const lines = children.map((child) => createInterface({ input: child.stdout })[Symbol.asyncIterator]());
    for (const line of lines) assert.equal((await line.next()).value, 'ready');
    for (const child of children) child.stdin.end('go\n');
    const results = await Promise.all(lines.map(async (line) => JSON.parse((await line.next()).value as string) as { admitted: number }));
    const admitted = results.reduce((sum, r) => sum + r.admitted, 0);
    t.diagnostic(`admitted per process: ${results.map((r) => r.admitted).join(', ')}`);
    assert.equal(admitted, 100);
    assert.equal(await redis.get(`${prefix}{one-client}:minute`), '100');
    assert.equal(await redis.get(`${prefix}{one-client}:hour`), '100', 'refused hits counted nowhere');
  } finally {
    for (const child of children) if (child.exitCode === null && child.stdin.writable) child.stdin.end();
    const exits = children.map((child) => (child.exitCode === null ? once(child, 'exit') : undefined));
    const timer = setTimeout(() => children.forEach((child) => child.exitCode === null && child.kill()), 5000);
    await Promise.all(exits);
    clearTimeout(timer);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
});
