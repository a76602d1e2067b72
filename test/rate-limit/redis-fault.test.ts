/** Store failure: a test-owned redis-server killed under load and restarted, in open and closed mode. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RedisStore } from '../../lib/rate-limit/index.js';
import { send, startApp, type TestApp } from './helpers.js';
import { startRedis, type OwnedRedis } from './redis-server.js';

const rules = [
  { name: 'burst', endpoint: '*', period: '1s', limit: 100_000 },
  { name: 'hour', endpoint: '*', period: '1h', limit: 100_000 },
];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps 4 requests in flight until stopped; records every status. */
function load(url: string, ip: string): { statuses: number[]; stop(): Promise<void> } {
  const statuses: number[] = [];
  let running = true;
  const workers = Array.from({ length: 4 }, async () => {
    while (running) statuses.push((await send(url, { ip })).status);
  });
  return {
    statuses,
    stop: async () => {
      running = false;
      await Promise.all(workers);
    },
  };
}

function capture(): { warnings: string[]; logger: { debug(): void; info(): void; warn(m: string): void; error(): void } } {
  const warnings: string[] = [];
  return { warnings, logger: { debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error() {} } };
}

async function until(condition: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(50);
  }
}

describe('Redis outage', () => {
  let redis: OwnedRedis;
  let app: TestApp | undefined;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await app?.close();
    await redis.stop();
  });

  it('open: no 5xx, one warning when it starts and one when it ends, counting resumes in Redis', async () => {
    const { warnings, logger } = capture();
    app = await startApp({ rules, logger, onError: 'open', store: new RedisStore({ url: redis.url, keyPrefix: 'open:' }) });
    const traffic = load(app.url, '192.0.2.1');
    await sleep(300);
    await redis.kill();
    await sleep(700);
    const duringOutage = traffic.statuses.length;
    await redis.restart();
    await until(() => warnings.length >= 2, 6000);
    await sleep(300);
    await traffic.stop();
    await app.close();
    app = undefined;

    assert.ok(traffic.statuses.length > duringOutage, 'traffic kept flowing');
    assert.deepEqual([...new Set(traffic.statuses)], [200], 'every request admitted');
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0] as string, /store unavailable .*admitting requests and counting them in memory/);
    assert.match(warnings[1] as string, /store recovered after \d+(\.\d)? s/);
    const counted = Number(await redis.cli('get', 'open:{192.0.2.1}:hour'));
    assert.ok(counted > 0, 'the restarted (empty) Redis counts again');
    assert.ok(Number(await redis.cli('pttl', 'open:{192.0.2.1}:hour')) > 0);
  });

  it('closed: 503 with Retry-After during the outage, 200 again after', async () => {
    const { warnings, logger } = capture();
    // A long timeout, so "fails fast" below is told apart from "waited for the timeout" by a wide margin.
    app = await startApp({ rules, logger, onError: 'closed', timeoutMs: 3000, store: new RedisStore({ url: redis.url, keyPrefix: 'closed:' }) });
    assert.equal((await send(app.url)).status, 200);
    await redis.kill();
    const during = await send(app.url);
    assert.equal(during.status, 503);
    assert.equal(during.headers.get('retry-after'), '1');
    assert.equal((app.errors.at(-1) as { type: string }).type, 'Unavailable');
    const fast = Date.now();
    assert.equal((await send(app.url)).status, 503);
    assert.ok(Date.now() - fast < 1500, 'during an outage requests fail fast instead of waiting for the 3 s timeout');
    await redis.restart();
    await until(async () => (await send(app!.url)).status === 200, 6000);
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0] as string, /answering 503/);
    await app.close();
    app = undefined;
  });

  it('a store slower than timeoutMs counts as a failure (open: admitted)', async () => {
    const { warnings, logger } = capture();
    const slow = { hit: () => new Promise<never>(() => {}) };
    app = await startApp({ rules, logger, timeoutMs: 50, store: slow });
    const started = Date.now();
    const response = await send(app.url);
    assert.equal(response.status, 200);
    assert.ok(Date.now() - started >= 45);
    assert.equal(response.headers.get('ratelimit'), '"hour";r=99999;t=3600', 'counted in the fallback store');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] as string, /no answer within 50 ms/);
  });
});
