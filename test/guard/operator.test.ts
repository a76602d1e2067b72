/**
 * The operator features through createApiGuard: policies, a monitored rule and the refusal message
 * from appsettings.json, applied live; each bad input an edit can bring (both Client and ClientSha256,
 * an invalid CIDR, a non-hex hash, an unknown Mode, a rule without a name) rejected with file:line:col
 * while the last good config keeps running; guard.limiter.inspect/reset; rateLimitPolicy and
 * skipRateLimit from code.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import express from 'express';
import { createApiGuard } from '../../lib/index.js';
import { listen } from '../errors/http-helpers.js';
import { recorder } from './log-recorder.js';

const HEX = 'c0ffee'.repeat(10) + 'c0ff';

function settings(policy: string, mode = 'Monitor', ruleName = '"Name": "trial", '): string {
  return `{
  "RateLimiting": {
    "Rules": [
      { "Name": "burst", "Endpoint": "*", "Period": "1m", "Limit": 2 },
      { ${ruleName}"Endpoint": "*", "Period": "1m", "Limit": 1, "Mode": "${mode}" }
    ],
    "Policies": [
      ${policy}
    ],
    "QuotaExceededMessage": "Easy there: {limit} per {period}."
  },
  "Https": { "Required": false },
  "Logging": { "Console": false }
}
`;
}
const good = (limit: number) => `{ "Client": "127.0.0.1", "Rules": [ { "Name": "burst", "Endpoint": "*", "Period": "1m", "Limit": ${limit} } ] }`;

test('policies, Monitor and the message from appsettings.json apply live; a bad edit keeps the last good config', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'guard-operator-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'appsettings.json');
  writeFileSync(file, settings(good(4)));
  const log = recorder();
  const guard = await createApiGuard({ configDir: dir, environment: 'Test', env: {}, debounceMs: 20, logger: log.sink });
  t.after(() => guard.close());
  const app = express();
  app.use(guard.before);
  app.get('/x', (_req, res) => void res.json({ ok: true }));
  app.use(guard.after);
  const server = await listen(app);
  t.after(() => server.close());
  const get = () => fetch(`${server.url}/x`);

  for (let i = 0; i < 3; i++) assert.equal((await get()).status, 200, 'the policy (4) applies to 127.0.0.1, not the general 2');
  const monitored = log.lines.filter((l) => l.level === 'warn' && /Rate limit monitor: rule "trial"/.test(l.message));
  assert.equal(monitored.length, 1, 'the first request over the monitor rule\'s limit, logged once');
  assert.equal(monitored[0]!.meta.category, 'RateLimiting');
  assert.match(String(monitored[0]!.meta.traceId), /^[0-9A-Z]{13}:[0-9a-f]{8}$/, 'with the request\'s trace ID');
  const before = await guard.limiter.inspect('127.0.0.1');
  assert.equal(before.policy, 'policies[0]');
  assert.deepEqual(before.rules.map((r) => [r.rule, r.count, r.limit, r.mode]), [['burst', 3, 4, 'Enforce'], ['trial', 3, 1, 'Monitor']]);

  const bad: [string, string, RegExp][] = [
    ['both Client and ClientSha256', settings(`{ "Client": "127.0.0.1", "ClientSha256": "${HEX}", "Rules": [ { "Name": "burst", "Endpoint": "*", "Period": "1m", "Limit": 9 } ] }`), /appsettings\.json:8:\d+ RateLimiting\.Policies\[0\]\.ClientSha256: .* is set together with Client/],
    ['an invalid CIDR', settings(good(9).replace('"127.0.0.1"', '"127.0.0.1/40"')), /appsettings\.json:8:\d+ RateLimiting\.Policies\[0\]\.Client: "127\.0\.0\.1\/40" has prefix length "40"/],
    ['a non-hex hash', settings(`{ "ClientSha256": "${'g'.repeat(64)}", "Rules": [ { "Name": "burst", "Endpoint": "*", "Period": "1m", "Limit": 9 } ] }`), /appsettings\.json:8:\d+ RateLimiting\.Policies\[0\]\.ClientSha256: .*characters other than 0-9 and a-f/],
    ['an unknown Mode', settings(good(9), 'Monitoring'), /appsettings\.json:5:\d+ RateLimiting\.Rules\[1\]\.Mode: "Monitoring" is not a rule mode \(did you mean "Monitor"\?\)/],
    ['a rule without a name', settings(good(9), 'Monitor', ''), /appsettings\.json:5:\d+ RateLimiting\.Rules\[1\]\.Name: is missing; give each rule a short unique name/],
  ];
  for (const [what, text, message] of bad) {
    const rejected = log.next((l) => l.level === 'error' && l.meta.note === 'The edit was rejected; the running configuration is kept.');
    writeFileSync(file, text);
    const line = await rejected;
    assert.match(line.message, message, what);
    assert.deepEqual(guard.config.RateLimiting.Policies?.map((p) => p.Rules[0]?.Limit), [4], `${what}: the last good config runs`);
  }
  assert.equal((await get()).status, 200, 'the fourth request: still the policy\'s 4');
  const refused = await get();
  assert.equal(refused.status, 429);
  assert.equal(((await refused.json()) as { information: { message: string }[] }).information[0]!.message, 'Easy there: 4 per 1m.');

  const reloaded = log.next((l) => /^Configuration reloaded; applied changes to RateLimiting/.test(l.message));
  writeFileSync(file, settings(good(6)));
  await reloaded;
  assert.deepEqual((await guard.limiter.inspect('127.0.0.1')).rules.map((r) => [r.rule, r.count, r.limit]), [['burst', 4, 6], ['trial', 4, 1]], 'counters kept');
  assert.equal((await get()).status, 200);
  assert.equal(await guard.limiter.reset('127.0.0.1', 'burst'), 1);
  for (let i = 0; i < 6; i++) assert.equal((await get()).status, 200, 'reset: a fresh window of 6');
});

test('rateLimitPolicy and skipRateLimit from code', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'guard-operator-code-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'appsettings.json'), JSON.stringify({ RateLimiting: { Rules: [{ Name: 'burst', Endpoint: '*', Period: '1m', Limit: 1 }] }, Https: { Required: false } }));
  const gold = [{ name: 'burst', endpoint: '*', period: '1m', limit: 3 }] as const;
  const guard = await createApiGuard({
    configDir: dir,
    env: {},
    watch: false,
    logger: recorder().sink,
    clientKey: (req) => String(req.headers['x-user'] ?? ''),
    rateLimitPolicy: (req) => (req.headers['x-plan'] === 'gold' ? gold : undefined),
    skipRateLimit: (req) => req.path === '/internal',
  });
  t.after(() => guard.close());
  const app = express();
  app.use(guard.before);
  app.get('/{*rest}', (_req, res) => void res.json({ ok: true }));
  app.use(guard.after);
  const server = await listen(app);
  t.after(() => server.close());
  const get = async (pathname: string, headers: Record<string, string>) => (await fetch(`${server.url}${pathname}`, { headers })).status;
  const codes = async (n: number, pathname: string, headers: Record<string, string>) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(await get(pathname, headers));
    return out;
  };
  assert.deepEqual(await codes(4, '/x', { 'x-user': 'ann', 'x-plan': 'gold' }), [200, 200, 200, 429]);
  assert.deepEqual(await codes(2, '/x', { 'x-user': 'bob' }), [200, 429]);
  assert.deepEqual(await codes(3, '/internal', { 'x-user': 'bob' }), [200, 200, 200], 'skipped');
});
