/**
 * tedious is an optional peer dependency (issue 10, "Light"). In an install without it, as a
 * consumer gets by default, the package loads, and every SQL Server check says how to enable it
 * (`npm install tedious@19`) instead of crashing: sqlCheck, health() with 'auto' and with
 * `sql: true`, from both builds, and `doctor`. The checks with tedious installed are in test/health.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packedInstall } from '../fixtures/packed-install.js';

const run = promisify(execFile);
const PASSWORD = 'No-Tedious-Pa55word';
const INSTALL_HINT = /npm install tedious@19/;

// The same checks from the ES module build (`import`) and the CommonJS build (`require`): their
// "module not found" errors differ ("Cannot find package" / "Cannot find module").
const CHECKS = `
  const config = m.loadConfig({ dir: process.cwd(), environment: 'release', env: {} });
  const direct = await m.sqlCheck(config, { timeoutMs: 2000 });
  const auto = await m.health({ config }).report();
  const required = await m.health({ config, sql: true }).report();
  console.log(JSON.stringify({ direct, auto, required }));
`;
const ESM = `import { loadConfig } from 'express-api-guard';\nimport { sqlCheck, health } from 'express-api-guard/health';\nconst m = { loadConfig, sqlCheck, health };\n${CHECKS}`;
const CJS = `const m = { ...require('express-api-guard'), ...require('express-api-guard/health') };\n(async () => {${CHECKS}})();\n`;

interface Outcome {
  direct: { ok: boolean; error?: { kind: string; message: string } };
  auto: { status: string; checks: { sql: { status: string; required: boolean; reason?: string } } };
  required: { status: string; checks: { sql: { status: string; error?: { kind: string; message: string } } } };
}

test('without tedious installed, SQL Server checks say how to install it', { timeout: 240_000 }, async (t) => {
  const { dir: installed } = await packedInstall();
  assert.ok(!existsSync(join(installed, 'node_modules', 'tedious')), 'the consumer install must not contain the optional tedious');
  const dir = mkdtempSync(join(installed, 'no-tedious-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'appsettings.json'), JSON.stringify({ Logging: { Console: false } }));
  writeFileSync(join(dir, 'appsettings.release.json'), JSON.stringify({
    // Port 1 on loopback: were tedious loaded, the check would fail as 'refused', not 'driver'.
    ConnectionStrings: { 'Issuetrak-Databse': `Server=127.0.0.1,1;Database=Issuetrak;User Id=web;Password=${PASSWORD}` },
    SessionSigningKey: 'a-session-signing-key',
  }));
  writeFileSync(join(dir, 'check.mjs'), ESM);
  writeFileSync(join(dir, 'check.cjs'), CJS);

  for (const script of ['check.mjs', 'check.cjs']) {
    await t.test(`sqlCheck and health() (${script})`, async () => {
      const { stdout } = await run(process.execPath, [script], { cwd: dir });
      assert.ok(!stdout.includes(PASSWORD), 'the password leaked');
      const { direct, auto, required } = JSON.parse(stdout) as Outcome;
      assert.equal(direct.ok, false);
      assert.equal(direct.error?.kind, 'driver');
      assert.match(direct.error?.message ?? '', INSTALL_HINT);
      // 'auto' keeps the app ready and says why SQL Server was not checked.
      assert.equal(auto.status, 'Healthy');
      assert.equal(auto.checks.sql.status, 'Skipped');
      assert.equal(auto.checks.sql.required, false);
      assert.match(auto.checks.sql.reason ?? '', INSTALL_HINT);
      // sql: true asked for the check: not being able to run it is a failure.
      assert.equal(required.status, 'Unhealthy');
      assert.equal(required.checks.sql.status, 'Unhealthy');
      assert.equal(required.checks.sql.error?.kind, 'driver');
      assert.match(required.checks.sql.error?.message ?? '', INSTALL_HINT);
    });
  }

  await t.test('doctor warns that SQL Server was not checked and how to fix it', async () => {
    const bin = join(installed, 'node_modules', '.bin', 'express-api-guard');
    // doctor exits 1 when another check fails (e.g. HTTPS here); only its SQL Server entry matters.
    const result = await run(bin, ['doctor', '--config-dir', dir, '--environment', 'release', '--json'], { cwd: dir }).catch(
      (error: { stdout?: string; code?: number }) => ({ stdout: error.stdout ?? '', code: error.code }),
    );
    assert.ok(!result.stdout.includes(PASSWORD), 'the password leaked');
    const report = JSON.parse(result.stdout) as { checks: Array<{ id: string; status: string; detail: string; fix?: string }> };
    const sql = report.checks.find((c) => c.id === 'sql-server');
    assert.ok(sql, result.stdout);
    assert.equal(sql.status, 'warn');
    assert.match(sql.detail, /not checked/);
    assert.match(sql.fix ?? '', INSTALL_HINT);
  });
});
