/**
 * appsettings.json deleted under a running guard (a bad deploy script, a `git clean`): the guard keeps
 * serving with the last good config and logs a warning. It used to reload the built-in defaults, whose
 * HTTPS requirement answered every plain-HTTP request 403.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import express from 'express';
import { createApiGuard } from '../../lib/guard/index.js';
import { listen, readLogLines } from '../logging/helpers.js';
import { request, waitFor } from '../integration/helpers.js';

test('deleting appsettings.json at runtime keeps the last good config and logs a warning', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'guard-config-deleted-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const settings = {
    Https: { Required: false },
    RateLimiting: { Rules: [{ Name: 'roomy', Endpoint: '*', Period: '1m', Limit: 1000 }] },
    Logging: { Console: false, Directory: 'logs' },
  };
  writeFileSync(path.join(dir, 'appsettings.json'), JSON.stringify(settings));
  const guard = await createApiGuard({ configDir: dir, environment: 'Production', env: {}, debounceMs: 20 });
  t.after(() => guard.close());
  const app = express();
  app.use(guard.before);
  app.get('/hit', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(guard.after);
  const { url } = await listen(app, t);
  assert.equal((await request(`${url}/hit`, { auth: false })).status, 200);

  rmSync(path.join(dir, 'appsettings.json'));
  const logs = path.join(dir, 'logs');
  const warned = (): Record<string, unknown> | undefined => readLogLines(logs).find((line) => line.code === 'CONFIG_FILE_DELETED');
  await waitFor('the warning about the deleted file', () => warned() !== undefined);
  const warning = warned() as Record<string, unknown>;
  assert.equal(warning.level, 'Warning');
  assert.equal(warning.file, 'appsettings.json');

  const after = await request(`${url}/hit`, { auth: false });
  assert.equal(after.status, 200, 'plain HTTP is still served: the defaults (HTTPS required) were not applied');
  assert.equal(guard.config.Https.Required, false);
  assert.equal(guard.config.RateLimiting.Rules[0]?.Name, 'roomy');
});
