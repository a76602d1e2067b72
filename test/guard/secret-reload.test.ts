/**
 * A host section's secret changed by a live edit: the edit is applied (before, both loads looked the
 * same through the masked view and the edit was dropped), and from then on the new value is masked in
 * response bodies and log lines, where the value the app read from config ends up in an error message.
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

const settings = (password: string) =>
  JSON.stringify({
    Https: { Required: false },
    Logging: { Console: false },
    Errors: { IncludeDetails: true },
    MyApp: { Password: password },
  });

test("a reloaded host secret is masked in the 500 body and the log, as the first one was", async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'guard-secret-reload-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'appsettings.json');
  writeFileSync(file, settings('first-password-A1'));
  const log = recorder();
  const guard = await createApiGuard({ configDir: dir, environment: 'Development', env: {}, debounceMs: 20, logger: log.sink });
  t.after(() => guard.close());
  const app = express();
  app.use(guard.before);
  // The app reads its password from config at request time, as a login against a backend would.
  app.get('/login', () => {
    throw new Error(`login failed with ${guard.config.section<{ Password: string }>('MyApp')?.Password}`);
  });
  app.use(guard.after);
  const server = await listen(app);
  t.after(() => server.close());

  const attempt = async (password: string) => {
    const before = log.lines.length;
    const logged = log.next((l) => l.level === 'error' && /login failed/.test(JSON.stringify(l)));
    const res = await fetch(`${server.url}/login`);
    const body = await res.text();
    await logged;
    const lines = JSON.stringify(log.lines.slice(before));
    assert.equal(res.status, 500);
    assert.ok(!body.includes(password), `the body shows the password: ${body}`);
    assert.ok(!lines.includes(password), `a log line shows the password: ${lines}`);
    assert.match(body, /login failed with \*\*\*/, 'the message itself is shown in Development, masked');
    assert.match(lines, /login failed with \*\*\*/);
  };
  await attempt('first-password-A1');

  const reloaded = log.next((l) => /^Configuration reloaded; applied changes to .*Secrets/.test(l.message));
  writeFileSync(file, settings('second-password-B2'));
  await reloaded;
  assert.equal(guard.config.section<{ Password: string }>('MyApp')?.Password, 'second-password-B2');
  await attempt('second-password-B2');
});
