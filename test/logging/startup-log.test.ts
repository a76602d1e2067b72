import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../lib/config/index.js';
import { startupLog } from '../../lib/logging/index.js';
import { capture, tempDir } from './helpers.js';

test('startupLog writes <Directory>/stdout/startup-<timestamp>.log and stderr, secrets masked', (t) => {
  const dir = tempDir(t);
  const err = capture(process.stderr);
  let path: string;
  try {
    const error = Object.assign(new Error('appsettings.release.json:7:18 cannot reach Server=db;Password=Hunter2Hunter2'), {
      code: 'ERR_CONFIG',
      password: 'also-secret-value',
    });
    path = startupLog(error, { directory: dir, secrets: ['Hunter2Hunter2'] });
  } finally {
    err.stop();
  }
  assert.match(path, /[/\\]stdout[/\\]startup-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.log$/);
  assert.deepEqual(readdirSync(join(dir, 'stdout')).length, 1);
  const text = readFileSync(path, 'utf8');
  for (const output of [text, err.text()]) {
    assert.match(output, /could not start/);
    assert.match(output, /appsettings\.release\.json:7:18/);
    assert.match(output, /ERR_CONFIG/);
    assert.equal(output.includes('Hunter2Hunter2'), false);
    assert.equal(output.includes('also-secret-value'), false);
  }
});

test('startupLog never throws: unwritable directory falls back to the temp dir; odd values are described', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'file.txt'), 'x');
  const err = capture(process.stderr);
  let path: string;
  let other: string;
  try {
    path = startupLog(new Error('port 443 in use'), { directory: join(dir, 'file.txt', 'logs') });
    other = startupLog({ weird: true, token: 'tok-value' }, { directory: dir });
  } finally {
    err.stop();
  }
  t.after(() => rmSync(path, { force: true }));
  assert.ok(path.includes('express-api-guard'), path);
  assert.match(err.text(), /is not writable; written to/);
  // A thrown non-Error is named by its keys, never its values (the allow-list).
  assert.match(readFileSync(other, 'utf8'), /not an Error \(keys: weird, token\)/);
  assert.equal(readFileSync(other, 'utf8').includes('tok-value'), false);
});

test('startupLog defaults to ./logs when no directory is known', (t) => {
  const dir = tempDir(t);
  const cwd = process.cwd();
  process.chdir(dir);
  const err = capture(process.stderr);
  try {
    const path = startupLog('config could not be read');
    assert.ok(path.startsWith(join(dir, 'logs', 'stdout')), path);
  } finally {
    err.stop();
    process.chdir(cwd);
  }
});

test('startupLog still writes when an error is its own cause (a cycle)', (t) => {
  const dir = tempDir(t);
  const first = new Error('first failure');
  const second = new Error('second failure', { cause: first });
  first.cause = second;
  const err = capture(process.stderr);
  let path: string;
  try {
    path = startupLog(first, { directory: dir });
  } finally {
    err.stop();
  }
  assert.notEqual(path, '');
  const text = readFileSync(path, 'utf8');
  assert.match(text, /first failure/);
  assert.match(text, /Caused by: Error: second failure/);
  assert.match(err.text(), /first failure/);
});

test('a ConfigError reaches stderr as its message alone; the file keeps the stack', (t) => {
  const dir = tempDir(t);
  const error = new ConfigError('appsettings.json:3:13 Https.Hsts: "yes" is not a boolean; use true or false\n  3 |     "Hsts": "yes"\n                ^', {
    code: 'CONFIG_INVALID',
    file: 'appsettings.json',
  });
  const err = capture(process.stderr);
  let path: string;
  try {
    path = startupLog(error, { directory: dir });
  } finally {
    err.stop();
  }
  const lines = err.text().split('\n');
  assert.match(lines[0] ?? '', /^\S+ crit: Startup\[pid \d+\] express-api-guard could not start: appsettings\.json:3:13 Https\.Hsts: "yes" is not a boolean/);
  assert.equal(lines.length, 4, err.text());
  assert.ok(!err.text().includes('    at '), 'no stack on stderr');
  assert.match(readFileSync(path, 'utf8'), /\n {4}at /);
});

test('startupLog never creates the folder it is told to avoid, not even through the fallback', (t) => {
  const dir = tempDir(t);
  const missing = join(dir, 'config');
  const err = capture(process.stderr);
  let path: string;
  try {
    path = startupLog(new Error('no config'), { directory: join(missing, 'logs'), avoid: missing });
  } finally {
    err.stop();
  }
  t.after(() => path && rmSync(path, { force: true }));
  assert.equal(existsSync(missing), false);
  assert.match(err.text(), /no config/);
});
