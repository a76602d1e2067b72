/**
 * Redis Sentinel (master + replica + 3 Sentinels, test-owned, shared by the file), configured from
 * appsettings.json: limits through the master the Sentinels name, the doctor/health check (the
 * Sentinels must know the master group), and a failover under load (no 5xx, fallback while the
 * master is gone, counting on the new master afterwards).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rateLimitOptionsFromConfig, redisConnectionFromConfig, redisHealthCheck, type RedisStore } from '../../lib/rate-limit/index.js';
import { command, until } from '../fixtures/redis-server.js';
import { startSentinels, type TestSentinels } from '../fixtures/redis-topology.js';
import { capture, rateLimitingFrom, send, startApp, statuses, type TestApp } from './helpers.js';

let set: TestSentinels;
const apps: TestApp[] = [];
before(async () => {
  set = await startSentinels({ name: 'rl-master', downAfterMs: 1000 });
});
after(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await set?.stop();
});

/** The Sentinel example of docs/rate-limiting.md, with this set's Sentinels. */
function sentinelSettings(keyPrefix: string, rules: object[], name = set.name): object {
  return { RateLimiting: { Store: 'redis', Redis: { Mode: 'sentinel', Nodes: set.nodes, SentinelName: name, KeyPrefix: keyPrefix }, Rules: rules } };
}

describe('Redis Sentinel from appsettings (Mode "sentinel")', () => {
  it('limits through the master the Sentinels name', async () => {
    const app = await startApp(rateLimitOptionsFromConfig(rateLimitingFrom(sentinelSettings('rl:', [{ Name: 'minute', Endpoint: '*', Period: '1m', Limit: 2 }]))));
    apps.push(app);
    assert.deepEqual(await statuses(app.url, 3, { ip: '198.51.100.1' }), [200, 200, 429]);
    assert.equal(await set.master.cli('get', 'rl:{198.51.100.1}:minute'), '2');
    // inspect and reset reach the same master.
    assert.deepEqual((await app.limiter.inspect('198.51.100.1')).rules.map((r) => [r.rule, r.count]), [['minute', 2]]);
    assert.equal(await app.limiter.reset('198.51.100.1'), 1);
    assert.equal(await set.master.cli('exists', 'rl:{198.51.100.1}:minute'), '0');
  });

  it('health check: the Sentinels must know the master group (with a did-you-mean)', async () => {
    const good = await redisHealthCheck(redisConnectionFromConfig(rateLimitingFrom(sentinelSettings('rl:', [])).Redis));
    assert.equal(good.ok, true, good.error);
    assert.match(good.summary ?? '', new RegExp(`Redis master 127\\.0\\.0\\.1:${set.master.port} of Sentinel master group "rl-master"`));
    const typo = await redisHealthCheck(redisConnectionFromConfig(rateLimitingFrom(sentinelSettings('rl:', [], 'rl-mastr')).Redis));
    assert.equal(typo.ok, false);
    assert.match(typo.error ?? '', /the Sentinels do not know master group "rl-mastr" \(they watch: rl-master\)/);
    assert.equal(typo.fix, 'set RateLimiting.Redis.SentinelName to "rl-master"');
  });
});

describe('a Sentinel failover under load', () => {
  it('no 5xx; fallback while the master is gone; back on Redis (the promoted replica) within down-after + 2 s', async (t) => {
    const { warnings, logger } = capture();
    const app = await startApp({ ...rateLimitOptionsFromConfig(rateLimitingFrom(sentinelSettings('failover:', [{ Name: 'hour', Endpoint: '*', Period: '1h', Limit: 1_000_000 }]))), logger });
    apps.push(app);
    const ip = '198.51.100.2';
    const seen: number[] = [];
    let running = true;
    const workers = Array.from({ length: 3 }, async () => {
      while (running) seen.push((await send(app.url, { ip })).status);
    });
    await until(() => seen.length >= 20, 10_000, 'traffic on the master');
    const oldMaster = set.master.port;
    const killedAt = performance.now();
    let switchedAt = 0;
    let recoveredAfter = 0;
    try {
      await set.master.kill();
      await until(async () => {
        if (switchedAt === 0 && (await set.masterPort()) !== oldMaster) switchedAt = performance.now() - killedAt;
        return warnings.length >= 2;
      }, 30_000, 'the outage to end').catch(async (error: Error) => {
        const client = (app.limiter.store as RedisStore).client;
        throw new Error(`${error.message}; master now ${await set.masterPort()} (was ${oldMaster}), client ${client.status}; ${warnings.join(' | ')}`);
      });
      recoveredAfter = performance.now() - killedAt;
      const atRecovery = seen.length;
      await until(() => seen.length >= atRecovery + 20, 10_000, 'traffic on the new master');
    } finally {
      running = false;
      await Promise.all(workers);
    }
    t.diagnostic(`Sentinels switched ${Math.round(switchedAt)} ms after the kill (down-after ${set.downAfterMs} ms); back on Redis after ${Math.round(recoveredAfter)} ms`);
    assert.deepEqual([...new Set(seen)], [200], 'every request admitted, no 5xx');
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0]!, /store unavailable: Redis Sentinel master group "rl-master" \(/);
    assert.match(warnings[1]!, /was unavailable for [\d.]+ s; [1-9]\d* request\(s\) were decided without it/);
    assert.notEqual(switchedAt, 0, 'the Sentinels switched the master');
    // Within down-after + 2 s of the kill; on a machine so loaded that the Sentinels themselves took
    // longer to switch, within 1 s of their switch (nobody can be back before the new master is named).
    const bound = Math.max(set.downAfterMs + 2000, switchedAt + 1000);
    assert.ok(recoveredAfter <= bound, `back on Redis ${Math.round(recoveredAfter)} ms after the kill (switch at ${Math.round(switchedAt)} ms, bound ${Math.round(bound)} ms)`);
    const promoted = await set.masterPort();
    assert.equal(promoted, set.replica.port);
    assert.ok(Number(await command(promoted, 'get', `failover:{${ip}}:hour`)) >= 20, 'counting continues on the promoted replica');
  });
});
