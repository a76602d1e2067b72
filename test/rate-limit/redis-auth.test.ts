/**
 * A Redis that requires a password: a missing or wrong password is reported as such (NOAUTH,
 * WRONGPASS) with the fix, by the health check, doctor and the limiter's outage warning, and the
 * password (from Redis.Password or the Url) never appears in any of them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { runDoctor } from '../../lib/cli/index.js';
import { loadConfig } from '../../lib/config/index.js';
import { RedisStore, rateLimitOptionsFromConfig, redisConnectionFromConfig, redisHealthCheck } from '../../lib/rate-limit/index.js';
import { startRedis, type OwnedRedis } from '../fixtures/redis-server.js';
import { capture, rateLimitingFrom, send, startApp, type TestApp } from './helpers.js';

const PASSWORD = 'Redis-Pa55-7c1e9a';
let redis: OwnedRedis;
const apps: TestApp[] = [];
before(async () => {
  redis = await startRedis(['--requirepass', PASSWORD]);
});
after(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await redis.stop();
});

const redisSection = (extra: object): object => ({ RateLimiting: { Store: 'redis', Redis: { Url: redis.url, ...extra } } });

it('health check: NOAUTH and WRONGPASS are named with the fix; the right password from Password or the Url works', async () => {
  const none = await redisHealthCheck(redis.url);
  assert.equal(none.ok, false);
  assert.match(none.error ?? '', /^Redis requires a password and none was sent \(NOAUTH/);
  assert.match(none.fix ?? '', /RateLimiting\.Redis\.Password/);

  const wrong = await redisHealthCheck(redisConnectionFromConfig(rateLimitingFrom(redisSection({ Password: 'not-the-password' })).Redis));
  assert.equal(wrong.ok, false);
  assert.match(wrong.error ?? '', /^Redis refused the login \(WRONGPASS/);
  assert.ok(!JSON.stringify(wrong).includes('not-the-password'));

  const right = await redisHealthCheck(redisConnectionFromConfig(rateLimitingFrom(redisSection({ Password: PASSWORD })).Redis));
  assert.equal(right.ok, true, right.error);
  const inUrl = await redisHealthCheck(`redis://:${encodeURIComponent(PASSWORD)}@127.0.0.1:${redis.port}`);
  assert.equal(inUrl.ok, true, inUrl.error);
});

it('the limiter\'s outage warning names the login failure, never the password', async () => {
  const { warnings, logger } = capture();
  const app = await startApp({ ...rateLimitOptionsFromConfig(rateLimitingFrom(redisSection({ Password: 'wrong-pa55word' }))), logger });
  apps.push(app);
  assert.equal((await send(app.url)).status, 200, 'open: admitted by the fallback');
  assert.match(warnings[0] ?? '', /WRONGPASS/);
  assert.ok(!warnings.join('\n').includes('wrong-pa55word'));
  const good = new RedisStore({ connection: { url: redis.url, password: PASSWORD }, keyPrefix: 'auth:' });
  await good.hit('c', [{ name: 'm', limit: 5, period: '1m', periodMs: 60_000, slot: 0 }], Date.now(), false);
  await good.close();
});

it('Redis.Password is a secret: masked by toJSON, and doctor reports the failure without it', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rl-auth-'));
  try {
    writeFileSync(path.join(dir, 'appsettings.json'), JSON.stringify(redisSection({ Password: 'doctor-wrong-pa55' })));
    const config = loadConfig({ dir, env: {} });
    assert.ok(config.secretValues().includes('doctor-wrong-pa55'));
    assert.ok(!JSON.stringify(config).includes('doctor-wrong-pa55'), 'toJSON masks it');
    const report = await runDoctor({ configDir: dir, env: {} });
    const check = report.checks.find((c) => c.id === 'rate-limit-store')!;
    assert.equal(check.status, 'fail');
    assert.match(check.detail, /Redis refused the login \(WRONGPASS/);
    assert.match(check.fix ?? '', /RateLimiting\.Redis\.Password/);
    assert.ok(!JSON.stringify(report).includes('doctor-wrong-pa55'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
