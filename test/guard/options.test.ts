/** createApiGuard's own option checks and the config → middleware option mapping. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../lib/config/index.js';
import { createApiGuard } from '../../lib/index.js';
import { checkGuardOptions, httpsOptions } from '../../lib/guard/options.js';

test('unknown, misspelt and mistyped options are refused with a hint', async () => {
  assert.throws(() => checkGuardOptions({ configdir: '/x' }), /configdir: unknown option\. Did you mean "configDir"\?/);
  assert.throws(() => checkGuardOptions({}), /configDir: is required/);
  assert.throws(() => checkGuardOptions(undefined), /pass an object such as \{ configDir/);
  assert.throws(() => checkGuardOptions({ configDir: '/x', watch: 'yes' }), /watch: expected true or false/);
  assert.throws(() => checkGuardOptions({ configDir: '/x', debounceMs: -1 }), /debounceMs/);
  assert.doesNotThrow(() => checkGuardOptions({ configDir: '/x', environment: 'Development', watch: false, debounceMs: 0 }));
  await assert.rejects(createApiGuard({ configdir: '/x' } as never), TypeError);
});

function configWith(base: object, environment: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'guard-options-'));
  writeFileSync(path.join(dir, 'appsettings.json'), JSON.stringify(base));
  try {
    return loadConfig({ dir, environment, env: {} });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('loopback plain HTTP is allowed only in Development and only when the config allows it', () => {
  assert.equal(httpsOptions(configWith({}, 'Development')).allowLoopback, true);
  assert.equal(httpsOptions(configWith({}, 'development')).allowLoopback, true);
  assert.equal(httpsOptions(configWith({}, 'Production')).allowLoopback, false);
  assert.equal(httpsOptions(configWith({ Https: { AllowLoopbackInDevelopment: false } }, 'Development')).allowLoopback, false);
});

test('the Redis password is one of the config secrets masked in logs', () => {
  const config = configWith({ RateLimiting: { Store: 'redis', Redis: { Url: 'redis://:s3cr%40t-pass@redis.internal:6379' } } }, 'Production');
  const secrets = config.secretValues();
  assert.ok(secrets.includes('s3cr%40t-pass'));
  assert.ok(secrets.includes('s3cr@t-pass'));
});
