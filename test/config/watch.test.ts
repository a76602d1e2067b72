import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type ApiGuardConfig, ConfigError, type ConfigIssue, watchConfig } from '../../lib/config/index.js';
import { configDir } from './helpers.js';

const settings = (limit: number) => JSON.stringify({ RateLimiting: { Rules: [{ Name: 'a', Endpoint: '*', Period: '1s', Limit: limit }] } });

/**
 * Waits for an event, failing after `ms` instead of hanging the suite. The timer is a normal (ref'd)
 * one on purpose: the watcher does not keep the process alive by itself, the test has to.
 */
async function next<T extends unknown[]>(emitter: NodeJS.EventEmitter, event: string, ms = 5000): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no '${event}' event within ${ms} ms`)), ms);
  try {
    return (await once(emitter, event, { signal: controller.signal })) as T;
  } finally {
    clearTimeout(timer);
  }
}

test('a valid edit swaps the config and emits change(next, previous)', async () => {
  const dir = configDir({ 'appsettings.json': settings(1) });
  const watcher = watchConfig({ dir, env: {}, debounceMs: 20 });
  try {
    assert.equal(watcher.current.RateLimiting.Rules[0]?.Limit, 1);
    const changed = next<[ApiGuardConfig, ApiGuardConfig]>(watcher, 'change');
    writeFileSync(join(dir, 'appsettings.json'), settings(2));
    const [current, previous] = await changed;
    assert.equal(current.RateLimiting.Rules[0]?.Limit, 2);
    assert.equal(previous.RateLimiting.Rules[0]?.Limit, 1);
    assert.equal(watcher.current, current);

    // Editors write a temp file and rename it over the original; the directory watch sees that.
    const renamed = next<[ApiGuardConfig]>(watcher, 'change');
    writeFileSync(join(dir, 'appsettings.json.tmp'), settings(3));
    renameSync(join(dir, 'appsettings.json.tmp'), join(dir, 'appsettings.json'));
    assert.equal((await renamed)[0].RateLimiting.Rules[0]?.Limit, 3);

    // A new environment file (case-insensitive name) is picked up too.
    const envFile = next<[ApiGuardConfig]>(watcher, 'change');
    writeFileSync(join(dir, 'APPSETTINGS.PRODUCTION.JSON'), JSON.stringify({ Tracing: { Format: 'w3c' } }));
    assert.equal((await envFile)[0].Tracing.Format, 'w3c');
  } finally {
    watcher.close();
  }
});

test('an invalid edit emits the precise ConfigError and keeps the last good config', async () => {
  const dir = configDir({ 'appsettings.json': settings(1) });
  const watcher = watchConfig({ dir, env: {}, debounceMs: 20 });
  try {
    const good = watcher.current;
    const failed = next<[ConfigError]>(watcher, 'error');
    writeFileSync(join(dir, 'appsettings.json'), '{\n  "RateLimiting": { "Rules": [ { "Name": "a", "Endpoint": "*", "Period": "10 min", "Limit": 1 } ] }\n}\n');
    const [error] = await failed;
    assert.ok(error instanceof ConfigError);
    assert.equal(error.file, 'appsettings.json');
    assert.equal(error.line, 2);
    assert.equal(error.path, 'RateLimiting.Rules[0].Period');
    assert.match(error.message, /"10 min" is not a period/);
    assert.equal(watcher.current, good);

    const syntax = next<[ConfigError]>(watcher, 'error');
    writeFileSync(join(dir, 'appsettings.json'), '{ "RateLimiting": ');
    assert.equal((await syntax)[0].code, 'CONFIG_SYNTAX');
    assert.equal(watcher.current, good);

    const recovered = next<[ApiGuardConfig]>(watcher, 'change');
    writeFileSync(join(dir, 'appsettings.json'), settings(9));
    assert.equal((await recovered)[0].RateLimiting.Rules[0]?.Limit, 9);
  } finally {
    watcher.close();
  }
});

test('bursts of writes are debounced into one reload; other files are ignored', async () => {
  const dir = configDir({ 'appsettings.json': settings(1) });
  const watcher = watchConfig({ dir, env: {}, debounceMs: 100 });
  let changes = 0;
  watcher.on('change', () => changes++);
  try {
    const changed = next<[ApiGuardConfig]>(watcher, 'change');
    for (let limit = 2; limit <= 6; limit++) writeFileSync(join(dir, 'appsettings.json'), settings(limit));
    writeFileSync(join(dir, 'notes.txt'), 'not config');
    assert.equal((await changed)[0].RateLimiting.Rules[0]?.Limit, 6);
    // A file outside the pattern, written after the reload, triggers nothing.
    writeFileSync(join(dir, 'other.json'), '{ broken');
    await new Promise((resolve) => setTimeout(resolve, 250));
    assert.equal(changes, 1);
  } finally {
    watcher.close();
  }
});

test('without an error listener an invalid edit does not throw; close() leaves nothing running', async () => {
  const dir = configDir({ 'appsettings.json': settings(1) });
  const watcher = watchConfig({ dir, env: {}, debounceMs: 10 });
  writeFileSync(join(dir, 'appsettings.json'), '{ nope');
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal(watcher.current.RateLimiting.Rules[0]?.Limit, 1);
  watcher.close();
  writeFileSync(join(dir, 'appsettings.json'), settings(5));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(watcher.current.RateLimiting.Rules[0]?.Limit, 1);
});

test('a throwing change listener does not escape the file event', async () => {
  const dir = configDir({ 'appsettings.json': settings(1) });
  const watcher = watchConfig({ dir, env: {}, debounceMs: 10 });
  try {
    watcher.on('change', () => {
      throw new Error('listener bug');
    });
    const reported = next<[Error]>(watcher, 'error');
    writeFileSync(join(dir, 'appsettings.json'), settings(4));
    assert.match((await reported)[0].message, /a 'change' listener threw: Error: listener bug/);
    assert.equal(watcher.current.RateLimiting.Rules[0]?.Limit, 4);
  } finally {
    watcher.close();
  }
});

test('an invalid config at start throws from watchConfig', () => {
  const dir = configDir({ 'appsettings.json': '{ "Tracing": { "Format": "x" } }' });
  assert.throws(() => watchConfig({ dir, env: {} }), ConfigError);
});

test('a Kubernetes ConfigMap update (the ..data symlink swapped) is picked up', async () => {
  // The kubelet's layout: appsettings.json -> ..data/appsettings.json, ..data -> ..<timestamp>/;
  // an update writes a new timestamped folder and renames a new ..data link over the old one.
  const dir = configDir({});
  mkdirSync(join(dir, '..v1'));
  writeFileSync(join(dir, '..v1', 'appsettings.json'), settings(1));
  symlinkSync('..v1', join(dir, '..data'));
  symlinkSync(join('..data', 'appsettings.json'), join(dir, 'appsettings.json'));
  const watcher = watchConfig({ dir, env: {}, debounceMs: 20 });
  try {
    assert.equal(watcher.current.RateLimiting.Rules[0]?.Limit, 1);
    const changed = next<[ApiGuardConfig]>(watcher, 'change', 3000);
    mkdirSync(join(dir, '..v2'));
    writeFileSync(join(dir, '..v2', 'appsettings.json'), settings(2));
    symlinkSync('..v2', join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    assert.equal((await changed)[0].RateLimiting.Rules[0]?.Limit, 2);
  } finally {
    watcher.close();
  }
});

test('a config file deleted while running: the last good config stays, with a warning; putting it back applies', async () => {
  const dir = configDir({
    'appsettings.json': JSON.stringify({ Https: { Required: false }, RateLimiting: { Rules: [{ Name: 'a', Endpoint: '*', Period: '1s', Limit: 1 }] } }),
    'appsettings.Production.json': JSON.stringify({ Tracing: { Format: 'w3c' } }),
  });
  const watcher = watchConfig({ dir, env: {}, debounceMs: 20 });
  let changes = 0;
  watcher.on('change', () => changes++);
  try {
    const good = watcher.current;
    const warned = next<[ConfigIssue]>(watcher, 'warning');
    rmSync(join(dir, 'appsettings.json'));
    const [warning] = await warned;
    assert.equal(warning.code, 'CONFIG_FILE_DELETED');
    assert.equal(warning.file, 'appsettings.json');
    assert.match(warning.message, /^appsettings\.json was deleted or moved away; the configuration loaded from it stays in effect/);
    // Not the built-in defaults (HTTPS required: every plain-HTTP request would be refused).
    assert.equal(watcher.current, good);
    assert.equal(watcher.current.Https.Required, false);

    // An edit to the other file while appsettings.json is gone still keeps the whole last good config.
    const again = next<[ConfigIssue]>(watcher, 'warning');
    writeFileSync(join(dir, 'appsettings.Production.json'), JSON.stringify({ Tracing: { Format: 'aspnet' } }));
    assert.equal((await again)[0].file, 'appsettings.json');
    assert.equal(watcher.current, good);

    const restored = next<[ApiGuardConfig]>(watcher, 'change');
    writeFileSync(join(dir, 'appsettings.json'), JSON.stringify({ Https: { Required: false }, RateLimiting: { Rules: [{ Name: 'a', Endpoint: '*', Period: '1s', Limit: 2 }] } }));
    const [current] = await restored;
    assert.equal(current.RateLimiting.Rules[0]?.Limit, 2);
    assert.equal(current.Tracing.Format, 'aspnet');
    assert.equal(changes, 1);

    const envGone = next<[ConfigIssue]>(watcher, 'warning');
    rmSync(join(dir, 'appsettings.Production.json'));
    assert.equal((await envGone)[0].file, 'appsettings.Production.json');
    assert.equal(watcher.current, current);
  } finally {
    watcher.close();
  }
});

test("an edit that changes only a host section's secret is applied (the masked views of both loads are equal)", async () => {
  const withPassword = (password: string) => JSON.stringify({ MyApp: { Password: password, Name: 'same' } });
  const dir = configDir({ 'appsettings.json': withPassword('first-secret-value') });
  const watcher = watchConfig({ dir, env: {}, debounceMs: 20 });
  try {
    const changed = next<[ApiGuardConfig]>(watcher, 'change');
    writeFileSync(join(dir, 'appsettings.json'), withPassword('second-secret-value'));
    const [current] = await changed;
    assert.equal(current.section<{ Password: string }>('MyApp')?.Password, 'second-secret-value');
    assert.ok(current.secretValues().includes('second-secret-value'), 'the new password is masked in output');
    assert.ok(!JSON.stringify(current).includes('second-secret-value'));
  } finally {
    watcher.close();
  }
});
