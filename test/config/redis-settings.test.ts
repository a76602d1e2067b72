/**
 * RateLimiting.Redis Mode/Nodes/SentinelName/Password/Instances: defaults, the loader's located
 * errors (file:line:column, did-you-mean) and environment variables.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../lib/config/index.js';
import { assertLocated, configDir, configError } from './helpers.js';

function at(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  assert.ok(index >= 0, `fixture lacks ${needle}`);
  const before = text.slice(0, index);
  return { line: before.split('\n').length, column: index - before.lastIndexOf('\n') };
}

const located = [
  { name: 'unknown mode', redis: '"Mode": "clustered"', needle: '"clustered"', path: 'RateLimiting.Redis.Mode', hint: 'use one of "standalone", "cluster", "sentinel"' },
  { name: 'a node that is not host:port', redis: '"Mode": "cluster", "Nodes": ["10.0.0.5"]', needle: '"10.0.0.5"', path: 'RateLimiting.Redis.Nodes[0]', hint: /is not a host and port; use "host:port"/ },
  { name: 'cluster without nodes', redis: '"Mode": "cluster"', needle: '"cluster"', path: 'RateLimiting.Redis.Mode', hint: /"cluster" needs Nodes; list the Cluster seed nodes in RateLimiting\.Redis\.Nodes as "host:port"/ },
  { name: 'sentinel without a master group', redis: '"Mode": "sentinel", "Nodes": ["127.0.0.1:26379"]', needle: '"sentinel"', path: 'RateLimiting.Redis.Mode', hint: /"sentinel" needs SentinelName; set RateLimiting\.Redis\.SentinelName to the master group name/ },
  { name: 'misspelt key', redis: '"SentinalName": "mymaster"', needle: '"SentinalName"', path: 'RateLimiting.Redis.SentinalName', hint: 'unknown key; did you mean "SentinelName"?' },
  { name: 'instances below 1', redis: '"Instances": 0', needle: '0', path: 'RateLimiting.Redis.Instances', hint: /is out of range; use the number of processes sharing the store/ },
  { name: 'a brace in the key prefix', redis: '"KeyPrefix": "rl:{app}:"', needle: '"rl:{app}:"', path: 'RateLimiting.Redis.KeyPrefix', hint: /contains "\{" or "\}"/ },
];

for (const c of located) {
  test(`RateLimiting.Redis error is located: ${c.name}`, () => {
    const text = `{\n  "RateLimiting": {\n    "Redis": { ${c.redis} }\n  }\n}\n`;
    const error = configError(() => loadConfig({ dir: configDir({ 'appsettings.json': text }), env: {} }));
    const needle = c.needle === '0' ? at(text, '"Instances": 0') : at(text, c.needle);
    assertLocated(error, { file: 'appsettings.json', ...(c.needle === '0' ? { line: needle.line, column: needle.column + '"Instances": '.length } : needle), path: c.path, hint: c.hint });
  });
}

test('defaults, and every key from environment variables (Nodes as an indexed list)', () => {
  const defaults = loadConfig({ dir: configDir({ 'appsettings.json': '{}' }), env: {} }).RateLimiting.Redis;
  assert.deepEqual(JSON.parse(JSON.stringify(defaults)), {
    Mode: 'standalone', Url: 'redis://127.0.0.1:6379', Nodes: [], KeyPrefix: 'rl:', OnError: 'open', TimeoutMs: 5000, Instances: 1,
  });
  const config = loadConfig({
    dir: configDir({ 'appsettings.json': '{}' }),
    env: {
      RateLimiting__Redis__Mode: 'Sentinel',
      RateLimiting__Redis__Nodes__0: '10.0.0.5:26379',
      RateLimiting__Redis__Nodes__1: '[::1]:26380',
      RateLimiting__Redis__SentinelName: 'mymaster',
      RateLimiting__Redis__Password: 'env-redis-pa55',
      RateLimiting__Redis__Instances: '4',
    },
  });
  const redis = config.RateLimiting.Redis;
  assert.equal(redis.Mode, 'sentinel');
  assert.deepEqual([...redis.Nodes], ['10.0.0.5:26379', '[::1]:26380']);
  assert.equal(redis.SentinelName, 'mymaster');
  assert.equal(redis.Instances, 4);
  assert.ok(config.secretValues().includes('env-redis-pa55'));
  assert.ok(!JSON.stringify(config).includes('env-redis-pa55'), 'toJSON masks the password');
});
