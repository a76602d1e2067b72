/** Redis Cluster: 3 test-owned nodes; the limiter works through ioredis Cluster (one slot per client). */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, it } from 'node:test';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { RedisStore } from '../../lib/rate-limit/index.js';
import { send, startApp, statuses, type TestApp } from './helpers.js';
import { startRedis, type OwnedRedis } from '../fixtures/redis-server.js';

const run = promisify(execFile);
const nodes: OwnedRedis[] = [];
let cluster: Cluster | undefined;
let app: TestApp | undefined;

before(async () => {
  for (let i = 0; i < 3; i++) {
    nodes.push(await startRedis(['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000']));
  }
  await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes']);
  for (let i = 0; i < 100; i++) {
    const states = await Promise.all(nodes.map((n) => n.cli('cluster', 'info')));
    if (states.every((s) => s.includes('cluster_state:ok'))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the cluster did not reach cluster_state:ok');
});

after(async () => {
  await app?.close();
  cluster?.disconnect();
  await Promise.all(nodes.map((n) => n.stop())); // kills the nodes and deletes their dirs (nodes.conf)
});

it('limits through ioredis Cluster; one client keys share a slot; clients spread over nodes', async () => {
  const first = nodes[0] as OwnedRedis;
  cluster = new Cluster([{ host: '127.0.0.1', port: first.port }]);
  await new Promise((resolve, reject) => {
    cluster!.once('ready', resolve);
    cluster!.once('error', reject);
  });
  app = await startApp({
    store: new RedisStore({ client: cluster }),
    rules: [
      { name: 'burst', endpoint: '*', period: '1m', limit: 3 },
      { name: 'writes', endpoint: 'post:*', period: '1m', limit: 1 },
      { name: 'hour', endpoint: '*', period: '1h', limit: 100 },
    ],
  });
  const ips = Array.from({ length: 12 }, (_, i) => `203.0.113.${i + 1}`);
  for (const ip of ips) {
    assert.deepEqual(await statuses(app.url, 2, { ip, method: 'POST' }), [200, 429], ip);
    assert.deepEqual(await statuses(app.url, 3, { ip }), [200, 200, 429], ip);
  }
  const refused = await send(app.url, { ip: ips[0] });
  assert.equal(refused.headers.get('ratelimit'), '"burst";r=0;t=60');

  const owners = new Set<number>();
  for (const ip of ips) {
    const keys = ['burst', 'writes', 'hour'].map((rule) => `rl:{${ip}}:${rule}`);
    const slots = await Promise.all(keys.map(async (key) => Number(await first.cli('cluster', 'keyslot', key))));
    assert.equal(new Set(slots).size, 1, `${ip}: one slot for all its windows`);
    for (const node of nodes) if (Number(await node.cli('cluster', 'countkeysinslot', String(slots[0]))) === 3) owners.add(node.port);
    assert.equal(await cluster.get(keys[0] as string), '3');
  }
  assert.ok(owners.size >= 2, `12 clients spread over ${owners.size} nodes`);
});
