import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, normalizeLogLevel, parseEndpoint, parsePeriod } from '../../lib/config/index.js';
import { normalizeLogging } from '../../lib/logging/logging-options.js';

test('parsePeriod: <n><s|m|h|d> in milliseconds, anything else a ConfigError with the hint', () => {
  assert.equal(parsePeriod('1s'), 1000);
  assert.equal(parsePeriod('10m'), 600_000);
  assert.equal(parsePeriod('12h'), 43_200_000);
  assert.equal(parsePeriod('1d'), 86_400_000);
  assert.equal(parsePeriod(' 15M '), 900_000);
  assert.equal(parsePeriod('1.5m'), 90_000);
  for (const bad of ['10 min', '0s', '0.5s', '1.5s', 'm', '10', '-1s', '1w', '']) {
    assert.throws(
      () => parsePeriod(bad),
      (error: unknown) => error instanceof ConfigError && error.code === 'INVALID_PERIOD' && error.message.includes('use a number followed by s, m, h or d'),
      bad,
    );
  }
});

test('parseEndpoint: *, methods:glob, *:glob; rejects unknown methods and bare paths', () => {
  assert.deepEqual(parseEndpoint('*'), { methods: undefined, path: '*' });
  assert.deepEqual(parseEndpoint('post,put,delete:*'), { methods: ['POST', 'PUT', 'DELETE'], path: '*' });
  assert.deepEqual(parseEndpoint('GET:/api/v2/*'), { methods: ['GET'], path: '/api/v2/*' });
  assert.deepEqual(parseEndpoint('*:/api/status'), { methods: undefined, path: '/api/status' });
  assert.deepEqual(parseEndpoint('get:*/export'), { methods: ['GET'], path: '*/export' });
  for (const bad of ['/api', 'fetch:/x', 'get:api', 'get /x', ':/x', 'get:/a b']) assert.equal(parseEndpoint(bad), undefined, bad);
});

test('log levels are the ASP.NET names, matched case-insensitively', () => {
  assert.equal(normalizeLogLevel('information'), 'Information');
  assert.equal(normalizeLogLevel('CRITICAL'), 'Critical');
  assert.equal(normalizeLogLevel('Verbose'), undefined);
});

test('Logging.File.MaxSize: the loader accepts exactly the sizes createLogger accepts', () => {
  // A size the loader let through but the logger refused made createApiGuard fail at startup with a
  // config that loadConfig and doctor called valid.
  const dir = mkdtempSync(join(tmpdir(), 'max-size-'));
  try {
    for (const size of ['20m', '1k', '2G', '0.5g', '1048576', '20mb', '1.5m', '10 MB']) {
      let loaded: string | undefined;
      try {
        loaded = loadConfig({ dir, env: { Logging__File__MaxSize: size } }).Logging.File.MaxSize;
      } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
      }
      let loggerAccepts = true;
      try {
        normalizeLogging({ Directory: dir, File: { MaxSize: size, MaxFiles: '14d' } });
      } catch {
        loggerAccepts = false;
      }
      assert.equal(loaded !== undefined, loggerAccepts, `${size}: loader ${loaded === undefined ? 'refuses' : 'accepts'}, createLogger ${loggerAccepts ? 'accepts' : 'refuses'}`);
    }
    assert.throws(() => loadConfig({ dir, env: { Logging__File__MaxSize: '1048576' } }), /"1048576" is not a size; use a number followed by k, m or g/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
