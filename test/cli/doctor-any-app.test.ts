/**
 * doctor on any app, not only an Issuetrak install: keys are checked only when Doctor.RequiredKeys
 * lists them, a missing environment file and an unconfigured database are information, `{}` passes
 * and shows the defaults in effect, and hostile input (2000-level nesting, foreign variables) is
 * reported, never a crash.
 */
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkLine, ISSUETRAK_KEYS, ROOT, runCli, tempDir, writeConfig } from './helpers.js';

describe('doctor-any-app', { concurrency: 3 }, () => {
  test('a folder with {} exits 0 and reports the defaults in effect', async (t) => {
    const dir = tempDir(t);
    writeConfig(dir, { base: {} });
    const result = await runCli(['doctor', '--config-dir', dir]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(checkLine(result.stdout, 'appsettings.json'), /^ok .*is valid$/);
    assert.match(result.stdout, /built-in defaults in effect for RateLimiting, Logging, Tracing, Errors, Https, Metrics, Doctor \(set in no file or variable\):/);
    assert.match(result.stdout, /^\s+Tracing: Format=aspnet, Header=X-Trace-Id, TrustTraceparent=false$/m);
    assert.match(result.stdout, /^\s+Https: Required=true, Hsts=true, HstsMaxAge=31536000, AllowLoopbackInDevelopment=true$/m);
    assert.match(result.stdout, /^\s+Metrics: Enabled=true$/m);
    assert.match(result.stdout, /^\s+Doctor: RequiredKeys=\[\]$/m);
    assert.match(checkLine(result.stdout, 'environment'), /^info .*no appsettings\.Production\.json in .*; it is optional/);
    assert.match(checkLine(result.stdout, 'required keys'), /^info .*none listed in Doctor\.RequiredKeys, so none checked/);
    assert.match(checkLine(result.stdout, 'SQL Server'), /^info .*not checked: no ConnectionStrings\.Issuetrak-Databse or Issuetrak-Database is configured/);
    assert.match(checkLine(result.stdout, 'rate-limit rules'), /^ok\s+rate-limit rules\s+6 rule\(s\)/);
    assert.match(result.stdout, /5 ok, 3 info, 0 warning\(s\), 0 failure\(s\): nothing failed/);
  });

  test("an app's own required keys: missing ones fail with where to put them, present ones pass", async (t) => {
    const dir = tempDir(t);
    writeConfig(dir, {
      base: { MyApp: { Region: 'eu' }, Doctor: { RequiredKeys: ['MyApp:Region', 'MyApp:ApiUrl', 'Billing.Key'] } },
    });
    const missing = await runCli(['doctor', '--config-dir', dir]);
    assert.equal(missing.code, 1);
    assert.match(checkLine(missing.stdout, 'required keys'), /^fail .*missing or empty: MyApp:ApiUrl, Billing\.Key$/);
    assert.match(missing.stdout, /fix: add to appsettings\.Production\.json \(or appsettings\.json\): "MyApp": \{ "ApiUrl": "…" \}, "Billing\.Key": "…"; or set the environment variables MyApp__ApiUrl, Billing\.Key\. Doctor\.RequiredKeys paths use ":" between sections/);

    writeConfig(dir, { base: { MyApp: { Region: 'eu' }, Doctor: { RequiredKeys: ['MyApp:Region', 'MyApp:ApiUrl'] } } });
    const present = await runCli(['doctor', '--config-dir', dir, '--json'], { env: { MyApp__ApiUrl: 'https://api.internal' } });
    const report = JSON.parse(present.stdout) as { ok: boolean; checks: { id: string; status: string; detail: string }[] };
    const check = report.checks.find((c) => c.id === 'required-keys');
    assert.equal(check?.status, 'ok');
    assert.equal(check?.detail, 'set (values not shown): MyApp:Region, MyApp:ApiUrl');
    assert.equal(report.ok, true);
  });

  test('a 2000-level nested appsettings.json is a located failure, not a crash', async (t) => {
    const dir = tempDir(t);
    writeConfig(dir, { base: `{\n  "MyApp": ${'{ "a": '.repeat(2000)}1${' }'.repeat(2000)}\n}\n` });
    const result = await runCli(['doctor', '--config-dir', dir]);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stderr, '', 'no RangeError or stack');
    assert.match(checkLine(result.stdout, 'appsettings.json'), /^fail\s+appsettings\.json\s+appsettings\.json:2:\d+ nested deeper than 64 levels/);
    // The other checks still run.
    assert.match(checkLine(result.stdout, 'log folders'), /^ok /);
  });

  test("variables outside our sections and ASP.NET's logging keys do not fail doctor", async (t) => {
    const dir = tempDir(t);
    writeConfig(dir, { base: { Logging: { EventLog: { LogLevel: { Default: 'Warning' } } }, AllowedHosts: '*' } });
    const env = { HTTP__PROXY: 'http://proxy:3128', ERROR__REPORTING: '1', Logging__Debug__LogLevel__Default: 'Trace' };
    const result = await runCli(['doctor', '--config-dir', dir], { env });
    assert.equal(result.code, 0, result.stdout);
    assert.match(checkLine(result.stdout, 'appsettings.json'), /^ok /);
    assert.match(checkLine(result.stdout, 'rate-limit rules'), /^warn .*2 configuration warning\(s\)/);
    assert.match(result.stdout, /warning: environment variable HTTP__PROXY is ignored: HTTP is not a config section; if it is meant for Https, name it Https__…/);
  });

  test("the example app lists its three required keys", async (t) => {
    const dir = tempDir(t);
    for (const name of ['appsettings.json', 'appsettings.Development.json']) copyFileSync(join(ROOT, 'examples/issuetrak-style', name), join(dir, name));
    writeFileSync(join(dir, 'appsettings.Production.json'), '{}');
    const development = await runCli(['doctor', '--config-dir', dir, '--environment', 'Development']);
    assert.match(checkLine(development.stdout, 'required keys'), new RegExp(`^ok .*values not shown\\): ${ISSUETRAK_KEYS.join(', ')}$`));
    const production = await runCli(['doctor', '--config-dir', dir, '--environment', 'Production']);
    assert.match(checkLine(production.stdout, 'required keys'), new RegExp(`^fail .*missing or empty: ${ISSUETRAK_KEYS.join(', ')}$`));
  });
});
