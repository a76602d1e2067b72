/**
 * Redis Cluster (3 masters + 3 replicas, test-owned, shared by the whole file), configured from
 * appsettings.json as a user writes it: limits, slot routing, resharding (MOVED/ASK/TRYAGAIN retried,
 * not an outage), the doctor/startup checks, the express-rate-limit adapter, and a master killed
 * under load (only its clients fall back; back on Redis within node-timeout + 2 s).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Cluster } from 'ioredis';
import { RedisStore as RateLimitRedisStore } from 'rate-limit-redis';
import { runDoctor } from '../../lib/cli/index.js';
import { checkRedisAtStartup } from '../../lib/guard/limiter.js';
import {
  ExpressRateLimitStoreAdapter,
  type RedisStore,
  rateLimitOptionsFromConfig,
  redisCommands,
  redisHealthCheck,
} from '../../lib/rate-limit/index.js';
import { slotOfTag } from '../../lib/rate-limit/stores/redis-slot.js';
import { startCluster, type TestCluster } from '../fixtures/redis-topology.js';
import { until } from '../fixtures/redis-server.js';
import { runCli } from '../cli/helpers.js';
import { capture, ipWhere, rateLimitingFrom, send, startApp, statuses, type TestApp } from './helpers.js';

let cluster: TestCluster;
const apps: TestApp[] = [];
const clients: Cluster[] = [];

before(async () => {
  cluster = await startCluster({ masters: 3, replicasPerMaster: 1, nodeTimeoutMs: 1000 });
});
after(async () => {
  await Promise.all(apps.map((app) => app.close()));
  for (const client of clients) client.disconnect();
  await cluster?.stop();
});

/** The Cluster example of docs/rate-limiting.md, with this cluster's nodes. */
function clusterSettings(keyPrefix: string, rules: object[]): object {
  return {
    RateLimiting: {
      Store: 'redis',
      Redis: { Mode: 'cluster', Nodes: cluster.seeds.slice(0, 3), KeyPrefix: keyPrefix },
      Rules: rules,
    },
  };
}

const masterOf = async (slot: number): Promise<number> => (await cluster.ownerOf(slot)).port;

describe('Redis Cluster from appsettings (Mode "cluster")', () => {
  it('limits exactly; a client\'s windows share one slot; clients spread over the masters', async () => {
    const section = rateLimitingFrom(
      clusterSettings('rl:', [
        { Name: 'burst', Endpoint: '*', Period: '1m', Limit: 3 },
        { Name: 'writes', Endpoint: 'post:*', Period: '1m', Limit: 1 },
      ]),
    );
    const app = await startApp(rateLimitOptionsFromConfig(section));
    apps.push(app);
    const ips = Array.from({ length: 9 }, (_, i) => `203.0.113.${i + 1}`);
    const owners = new Set<number>();
    for (const ip of ips) {
      assert.deepEqual(await statuses(app.url, 2, { ip, method: 'POST' }), [200, 429], ip);
      assert.deepEqual(await statuses(app.url, 3, { ip }), [200, 200, 429], ip);
      const slot = slotOfTag(ip);
      assert.equal(Number(await cluster.nodes[0]!.cli('cluster', 'keyslot', `rl:{${ip}}:burst`)), slot, 'the store computes slots as Redis does');
      assert.equal(Number(await cluster.nodes[0]!.cli('cluster', 'keyslot', `rl:{${ip}}:writes`)), slot);
      const owner = cluster.node(await masterOf(slot));
      owners.add(owner.port);
      assert.equal(await owner.cli('get', `rl:{${ip}}:burst`), '3');
    }
    assert.ok(owners.size >= 2, `clients spread over ${owners.size} masters`);
  });

  it('resharding: TRYAGAIN, ASK and MOVED are retried within the deadline, not an outage', async () => {
    const { warnings, logger } = capture();
    const section = rateLimitingFrom(
      clusterSettings('reshard:', [
        { Name: 'minute', Endpoint: '*', Period: '1m', Limit: 100 },
        { Name: 'hour', Endpoint: '*', Period: '1h', Limit: 100 },
      ]),
    );
    const app = await startApp({ ...rateLimitOptionsFromConfig(section), logger });
    apps.push(app);
    const ip = ipWhere(() => true);
    const slot = slotOfTag(ip);
    assert.equal((await send(app.url, { ip })).status, 200);
    const topology = await cluster.topology();
    const source = await cluster.ownerOf(slot);
    const target = topology.find((n) => n.master && !n.failed && n.slots.length > 0 && n.id !== source.id)!;
    const src = cluster.node(source.port);
    const dst = cluster.node(target.port);
    const keys = [`reshard:{${ip}}:minute`, `reshard:{${ip}}:hour`];
    await dst.cli('cluster', 'setslot', String(slot), 'importing', source.id);
    await src.cli('cluster', 'setslot', String(slot), 'migrating', target.id);
    await src.cli('migrate', '127.0.0.1', String(dst.port), keys[0]!, '0', '5000');
    const errorCount = async (kind: string): Promise<number> => Number(new RegExp(`errorstat_${kind}:count=(\\d+)`).exec(await src.cli('info', 'errorstats'))?.[1] ?? 0);
    // One key moved, one not: the script's keys are split, so the source answers TRYAGAIN until both moved.
    const pending = send(app.url, { ip });
    await until(async () => (await errorCount('TRYAGAIN')) > 0, 5000, 'a TRYAGAIN reply');
    await src.cli('migrate', '127.0.0.1', String(dst.port), keys[1]!, '0', '5000');
    assert.equal((await pending).status, 200, 'answered once both keys were on the target (via ASK)');
    assert.ok((await errorCount('ASK')) > 0, 'the retry was redirected with ASK');
    for (const node of topology.filter((n) => n.master && !n.failed)) await cluster.node(node.port).cli('cluster', 'setslot', String(slot), 'node', target.id);
    // The store's slot map may already know (ioredis refreshes it now and then): make it stale on purpose.
    ((app.limiter.store as RedisStore).client as Cluster).slots[slot] = [source.address];
    assert.equal((await send(app.url, { ip })).status, 200);
    assert.ok((await errorCount('MOVED')) > 0, 'the stale slot map was corrected after MOVED');
    assert.equal(await dst.cli('get', keys[0]!), '3');
    assert.equal(await dst.cli('get', keys[1]!), '3');
    assert.deepEqual(warnings, [], 'no outage');
  });

  it('health, startup and doctor checks per mode; a standalone Url at a Cluster node is named', async () => {
    const healthy = await redisHealthCheck({ mode: 'cluster', nodes: cluster.seeds.slice(0, 1) });
    assert.equal(healthy.ok, true, healthy.error);
    assert.match(healthy.summary ?? '', /Redis Cluster: 3 master\(s\), all 16384 slots served/);

    const standalone = await redisHealthCheck(`redis://127.0.0.1:${cluster.nodes[0]!.port}`);
    assert.equal(standalone.ok, false);
    assert.match(standalone.error ?? '', /is a Cluster node: set RateLimiting\.Redis\.Mode to cluster/);

    const misconfigured = rateLimitingFrom({ RateLimiting: { Store: 'redis', Redis: { Url: `redis://127.0.0.1:${cluster.nodes[0]!.port}`, OnError: 'closed' } } });
    const { warnings, logger } = capture();
    await assert.rejects(checkRedisAtStartup(misconfigured, logger), /is a Cluster node: set RateLimiting\.Redis\.Mode to cluster/);
    await checkRedisAtStartup({ ...misconfigured, Redis: { ...misconfigured.Redis, OnError: 'open' } }, logger);
    assert.match(warnings[0] ?? '', /is a Cluster node: set RateLimiting\.Redis\.Mode to cluster.*counted in-process/);

    const dir = mkdtempSync(path.join(tmpdir(), 'rl-doctor-'));
    try {
      const doctor = async (redis: object): Promise<{ status: string; detail: string; fix?: string }> => {
        writeFileSync(path.join(dir, 'appsettings.json'), JSON.stringify({ RateLimiting: { Store: 'redis', Redis: redis } }));
        const report = await runDoctor({ configDir: dir, env: {} });
        return report.checks.find((c) => c.id === 'rate-limit-store')!;
      };
      const wrongMode = await doctor({ Url: `redis://127.0.0.1:${cluster.nodes[0]!.port}` });
      assert.equal(wrongMode.status, 'fail');
      assert.match(wrongMode.detail, /is a Cluster node: set RateLimiting\.Redis\.Mode to cluster/);
      const right = await doctor({ Mode: 'cluster', Nodes: cluster.seeds.slice(0, 2) });
      assert.equal(right.status, 'ok', right.detail);
      assert.match(right.detail, /redis cluster at .*all 16384 slots served; the limiter script ran in \d+ ms/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the express-rate-limit adapter (rate-limit-redis) loads its script on every master: no NOSCRIPT after a SCRIPT FLUSH', async () => {
    const client = new Cluster([{ host: '127.0.0.1', port: cluster.nodes[0]!.port }]);
    clients.push(client);
    const prefix = 'erl:';
    const { warnings, logger } = capture();
    const app = await startApp({
      rules: [{ name: 'minute', endpoint: '*', period: '1m', limit: 100 }],
      logger,
      store: new ExpressRateLimitStoreAdapter({
        createStore: (rule) => new RateLimitRedisStore({ prefix: `${prefix}${rule.name}:`, sendCommandCluster: redisCommands(client) }),
      }),
    });
    apps.push(app);
    const masters = (await cluster.topology()).filter((n) => n.master && n.slots.length > 0);
    const ips = masters.map((m) => ipWhere((slot) => m.slots.some(([a, b]) => slot >= a && slot <= b)));
    // erl keys are not hash-tagged by client: `erl:minute:<ip>`; pick clients whose key lands on each master.
    for (const ip of ips) assert.equal((await send(app.url, { ip })).status, 200);
    await Promise.all(masters.map((m) => cluster.node(m.port).cli('script', 'flush')));
    for (const ip of ips) assert.equal((await send(app.url, { ip })).status, 200, 'NOSCRIPT was answered by reloading on every master');
    assert.deepEqual(warnings, [], 'the store never failed (a NOSCRIPT reaching the limiter would start an outage)');
    for (const ip of ips) assert.equal(await client.get(`${prefix}minute:${ip}`), '2', `${ip} counted in Redis twice`);
  });
});

describe('operator control on the Cluster: policies, monitor rules, inspect and reset (API and CLI)', () => {
  it('each client\'s counters are read and cleared on the master owning its slot', async () => {
    const settings = {
      RateLimiting: {
        Store: 'redis',
        Redis: { Mode: 'cluster', Nodes: cluster.seeds.slice(0, 3), KeyPrefix: 'op:' },
        Rules: [
          { Name: 'minute', Endpoint: '*', Period: '1m', Limit: 3 },
          { Name: 'trial', Endpoint: '*', Period: '1m', Limit: 1, Mode: 'Monitor' },
        ],
        Policies: [{ Client: '10.0.0.0/8', Rules: [{ Name: 'minute', Endpoint: '*', Period: '1m', Limit: 4 }] }],
      },
    };
    const section = rateLimitingFrom(settings);
    const { warnings, logger } = capture();
    const app = await startApp({ ...rateLimitOptionsFromConfig(section), logger });
    apps.push(app);
    const masters = (await cluster.topology()).filter((n) => n.master && !n.failed && n.slots.length > 0);
    const ips = masters.map((m) => ipWhere((slot) => m.slots.some(([a, b]) => slot >= a && slot <= b)));
    for (const ip of ips) {
      assert.deepEqual(await statuses(app.url, 5, { ip }), [200, 200, 200, 200, 429], `${ip}: the policy's 4, the monitor rule never refusing`);
      const limits = await app.limiter.inspect(ip);
      assert.equal(limits.policy, 'policies[0]');
      assert.deepEqual(limits.rules.map((r) => [r.rule, r.count, r.limit]), [['minute', 4, 4], ['trial', 4, 1]]);
      const owner = cluster.node(await masterOf(slotOfTag(ip)));
      assert.equal(await owner.cli('get', `op:{${ip}}:minute`), '4');
    }
    assert.equal(warnings.filter((w) => /monitor: rule "trial"/.test(w)).length, ips.length, 'one monitor warning per client');
    assert.equal(await app.limiter.reset(ips[0]!, 'minute'), 1);
    assert.equal((await send(app.url, { ip: ips[0]! })).status, 200);
    assert.equal(await app.limiter.reset(ips[1]!), 2);
    const owner = cluster.node(await masterOf(slotOfTag(ips[1]!)));
    assert.equal(await owner.cli('exists', `op:{${ips[1]}}:minute`, `op:{${ips[1]}}:trial`), '0');

    // The CLI, from the same appsettings.json, in its own process.
    const dir = mkdtempSync(path.join(tmpdir(), 'rl-limits-'));
    try {
      writeFileSync(path.join(dir, 'appsettings.json'), JSON.stringify(settings));
      const ip = ips[2]!;
      const shown = await runCli(['limits', 'show', '--client', ip, '--config-dir', dir, '--json']);
      assert.equal(shown.code, 0, shown.stderr);
      const report = JSON.parse(shown.stdout) as { key: string; policy: string; rules: { rule: string; count: number }[] };
      assert.equal(report.policy, 'policies[0]');
      assert.deepEqual(report.rules.map((r) => [r.rule, r.count]), [['minute', 4], ['trial', 4]]);
      const cleared = await runCli(['limits', 'reset', '--client', ip, '--config-dir', dir]);
      assert.equal(cleared.code, 0, cleared.stderr);
      assert.match(cleared.stdout, new RegExp(`^Cleared 2 counter\\(s\\) of client ${ip.replace(/\./g, '\\.')} \\(every rule\\)`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a Cluster master killed under load', () => {
  it('0 5xx; only that shard\'s clients fall back; clients on healthy shards stay exact; back on Redis within node-timeout + 2 s', async (t) => {
    const { warnings, logger } = capture();
    const section = rateLimitingFrom(clusterSettings('kill:', [{ Name: 'hour', Endpoint: '*', Period: '1h', Limit: 1_000_000 }]));
    const app = await startApp({ ...rateLimitOptionsFromConfig(section), logger });
    apps.push(app);
    const masters = (await cluster.topology()).filter((n) => n.master && !n.failed && n.slots.length > 0);
    const victim = masters[0]!;
    const onVictim = (slot: number): boolean => victim.slots.some(([a, b]) => slot >= a && slot <= b);
    const a = ipWhere(onVictim);
    const b = ipWhere((slot) => !onVictim(slot) && masters[1]!.slots.some(([x, y]) => slot >= x && slot <= y));
    const c = ipWhere((slot) => !onVictim(slot) && masters[2]!.slots.some(([x, y]) => slot >= x && slot <= y));
    const sent = new Map<string, number[]>([[a, []], [b, []], [c, []]]);
    let running = true;
    const workers = [a, a, b, b, c, c].map(async (ip) => {
      while (running) sent.get(ip)!.push((await send(app.url, { ip })).status);
    });
    await until(() => [...sent.values()].every((s) => s.length >= 10), 10_000, 'traffic on every shard');
    const killedAt = performance.now();
    let promotedAt = 0;
    let recoveredAfter = 0;
    try {
      await cluster.node(victim.port).kill();
      await until(async () => {
        if (promotedAt === 0 && (await cluster.ownerOf(slotOfTag(a)).catch(() => victim)).port !== victim.port) promotedAt = performance.now() - killedAt;
        return warnings.length >= 2;
      }, cluster.nodeTimeoutMs + 15_000, 'the outage to end');
      recoveredAfter = performance.now() - killedAt;
      const atRecovery = sent.get(a)!.length;
      await until(() => sent.get(a)!.length >= atRecovery + 10, 10_000, 'traffic on Redis again');
    } finally {
      running = false;
      await Promise.all(workers);
    }
    t.diagnostic(`replica promoted ${Math.round(promotedAt)} ms after the kill (node-timeout ${cluster.nodeTimeoutMs} ms); back on Redis after ${Math.round(recoveredAfter)} ms`);

    for (const [ip, seen] of sent) assert.deepEqual([...new Set(seen)], [200], `${ip}: every request admitted, no 5xx`);
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0]!, new RegExp(`store unavailable: Redis Cluster node 127\\.0\\.0\\.1:${victim.port} `));
    assert.match(warnings[1]!, new RegExp(`store recovered: Redis Cluster node 127\\.0\\.0\\.1:${victim.port} was unavailable for [\\d.]+ s; [1-9]\\d* request\\(s\\) were decided without it`));
    // Within node-timeout + 2 s of the kill; on a machine so loaded that Redis itself took longer to
    // promote the replica, within 1 s of the promotion (nobody can be back before it).
    const bound = Math.max(cluster.nodeTimeoutMs + 2000, promotedAt + 1000);
    assert.ok(recoveredAfter <= bound, `back on Redis ${Math.round(recoveredAfter)} ms after the kill (promoted at ${Math.round(promotedAt)} ms, bound ${Math.round(bound)} ms)`);
    for (const ip of [b, c]) {
      const owner = cluster.node(await masterOf(slotOfTag(ip)));
      assert.equal(await owner.cli('get', `kill:{${ip}}:hour`), String(sent.get(ip)!.length), `${ip} (healthy shard) counted exactly in Redis`);
    }
    const promoted = cluster.node(await masterOf(slotOfTag(a)));
    assert.notEqual(promoted.port, victim.port, 'a replica took over');
    assert.ok(Number(await promoted.cli('get', `kill:{${a}}:hour`)) < sent.get(a)!.length, `${a} was partly decided by the fallback`);
  });
});
