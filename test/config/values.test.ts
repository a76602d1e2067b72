import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../lib/config/index.js';
import { normalizeLogging } from '../../lib/logging/logging-options.js';

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
