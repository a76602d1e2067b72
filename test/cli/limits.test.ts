/**
 * `express-api-guard limits show|reset` as a user runs it (a child process) against the Redis the
 * config names (the shared Redis, a unique key prefix), with counters made by a limiter built from
 * the same appsettings.json, as the app would build it. Cluster: test/rate-limit/redis-cluster.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { loadConfig } from '../../lib/config/index.js';
import { rateLimitOptionsFromConfig } from '../../lib/rate-limit/index.js';
import { startApp, statuses } from '../rate-limit/helpers.js';
import { closedPort, runCli, tempDir, writeConfig } from './helpers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test:cli-limits:${process.pid}:${Date.now().toString(36)}:`;
const redis = new Redis(REDIS_URL);
after(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const rules = [
  { Name: 'burst', Endpoint: '*', Period: '1m', Limit: 5 },
  { Name: 'writes', Endpoint: 'post:*', Period: '10m', Limit: 2 },
];

/** A config folder with the Redis store, and `hits` requests per client sent to an app limited by it, as the app would be. */
async function seeded(t: { after(fn: () => void): void }, rateLimiting: object, hits: Record<string, number>): Promise<string> {
  const dir = tempDir(t);
  writeConfig(dir, { base: { RateLimiting: { Store: 'redis', Redis: { Url: REDIS_URL, KeyPrefix: prefix }, Rules: rules, ...rateLimiting } } });
  // keyPrefix '' as the guard's limiter has it (its keys are the ones the CLI reads).
  const app = await startApp({ ...rateLimitOptionsFromConfig(loadConfig({ dir, env: {} }).RateLimiting), keyPrefix: '' });
  try {
    for (const [client, count] of Object.entries(hits)) {
      const from = isIP(client) ? { ip: client } : { ip: '198.51.100.250', headers: { 'x-api-key': client } };
      await statuses(app.url, count, from);
    }
  } finally {
    await app.close();
  }
  return dir;
}

describe('limits show', () => {
  it('prints the client\'s rules with count, limit, remaining and reset; --json the same as data', async (t) => {
    const dir = await seeded(t, { Policies: [{ Client: '203.0.113.0/24', Rules: [{ Name: 'burst', Endpoint: '*', Period: '1m', Limit: 50 }] }] }, { '203.0.113.7': 3 });
    const text = await runCli(['limits', 'show', '--client', '203.0.113.7', '--config-dir', dir]);
    assert.equal(text.code, 0, text.stderr);
    const lines = text.stdout.trim().split('\n');
    assert.match(lines[0]!, /^client 203\.0\.113\.7: policy RateLimiting\.Policies\[0\]; 1 of 2 window\(s\) running \(redis at redis:\/\/127\.0\.0\.1:6379\)$/);
    assert.match(lines[1]!, /^rule\s+endpoint\s+mode\s+limit\s+period\s+count\s+remaining\s+resets in$/);
    assert.match(lines[2]!, /^burst\s+\*\s+Enforce\s+50\s+1m\s+3\s+47\s+\d+\.\d s$/);
    assert.match(lines[3]!, /^writes\s+post:\*\s+Enforce\s+2\s+10m\s+0\s+2\s+-$/);

    const json = await runCli(['limits', 'show', '--client', '203.0.113.7', '--config-dir', dir, '--json']);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as { version: number; key: string; policy: string; rules: { rule: string; count: number; remaining: number }[] };
    assert.equal(report.version, 1);
    assert.equal(report.key, '203.0.113.7');
    assert.deepEqual(report.rules.map((r) => [r.rule, r.count, r.remaining]), [['burst', 3, 47], ['writes', 0, 2]]);
  });

  it('an API key is hashed as for requests and never printed', async (t) => {
    const apiKey = 'cli-secret-key-4e1f';
    const dir = await seeded(t, { ClientKey: 'header:X-Api-Key' }, { [apiKey]: 2 });
    const shown = await runCli(['limits', 'show', '--client', apiKey, '--config-dir', dir]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.ok(shown.stdout.includes(`client key:${createHash('sha256').update(apiKey).digest('base64url')}:`), shown.stdout);
    assert.match(shown.stdout, /^burst\s+\*\s+Enforce\s+5\s+1m\s+2\s+3\s/m);
    assert.ok(!`${shown.stdout}${shown.stderr}`.includes(apiKey), 'the raw key is not echoed');
  });

  it('the memory store: explains that the counters live in the app process, exit 1', async (t) => {
    const dir = tempDir(t);
    writeConfig(dir, { base: { RateLimiting: { Store: 'memory' } } });
    const result = await runCli(['limits', 'show', '--client', '10.0.0.1', '--config-dir', dir]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /RateLimiting\.Store is "memory": the counters live inside each app process.*guard\.limiter\.inspect\(clientId\)/);
  });
});

describe('limits reset', () => {
  it('clears one rule or all; a client with nothing stored is not an error', async (t) => {
    const dir = await seeded(t, {}, { '198.51.100.77': 4 });
    const one = await runCli(['limits', 'reset', '--client', '198.51.100.77', '--rule', 'burst', '--config-dir', dir]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(one.stdout.trim(), 'Cleared 1 counter(s) of client 198.51.100.77 (rule "burst"); its next request starts a new window.');
    assert.equal(await redis.exists(`${prefix}{198.51.100.77}:burst`), 0);
    const none = await runCli(['limits', 'reset', '--client', '192.0.2.200', '--config-dir', dir, '--json']);
    assert.equal(none.code, 0, none.stderr);
    assert.deepEqual(JSON.parse(none.stdout), { version: 1, store: 'redis at redis://127.0.0.1:6379', key: '192.0.2.200', rule: null, cleared: 0 });
  });

  it('usage mistakes exit 2 with the fix; an unreachable Redis exits 1 without its password', async (t) => {
    const dir = await seeded(t, {}, {});
    const typo = await runCli(['limits', 'reset', '--client', '10.0.0.1', '--rule', 'bursts', '--config-dir', dir]);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /^error: "bursts" is not a rule of this limiter \(did you mean "burst"\?\)/);
    const action = await runCli(['limits', 'sho', '--client', '10.0.0.1']);
    assert.equal(action.code, 2);
    assert.match(action.stderr, /unknown action sho \(did you mean "show"\?\)/);
    const notAnAddress = await runCli(['limits', 'show', '--client', 'k-not-an-ip', '--config-dir', dir]);
    assert.equal(notAnAddress.code, 2);
    assert.match(notAnAddress.stderr, /^error: --client is not an IP address; clientKey is "ip"/);
    assert.ok(!notAnAddress.stderr.includes('k-not-an-ip'), 'not echoed');
    const missing = await runCli(['limits', 'show', '--config-dir', dir]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /needs --client ID/);

    const down = tempDir(t);
    writeConfig(down, { base: { RateLimiting: { Store: 'redis', Redis: { Url: `redis://:pw-9c8d7e@127.0.0.1:${await closedPort()}`, TimeoutMs: 1000 } } } });
    const unreachable = await runCli(['limits', 'show', '--client', '10.0.0.1', '--config-dir', down]);
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /ECONNREFUSED.*run express-api-guard doctor to check the store/);
    assert.ok(!unreachable.stderr.includes('pw-9c8d7e'), unreachable.stderr);
  });
});
