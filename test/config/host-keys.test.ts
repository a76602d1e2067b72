/**
 * What an operator's environment and an ASP.NET Core appsettings.json carry besides our settings:
 * none of it may stop the app from starting. A near-miss of a section name in a variable is a warning;
 * ASP.NET's own keys (logging providers, AllowedHosts, Kestrel) are accepted; typos inside our
 * sections are still errors with a suggestion.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../lib/config/index.js';
import { configDir, configError } from './helpers.js';

test('variables that are near-misses of a section name are warnings, never a failed start', () => {
  const config = loadConfig({
    dir: configDir({ 'appsettings.json': {} }),
    env: { HTTP__PROXY: 'http://proxy.internal:3128', ERROR__REPORTING: '1', Tracng__Format: 'w3c', PATH: '/usr/bin' },
  });
  assert.equal(config.Https.Required, true);
  assert.equal(config.Tracing.Format, 'aspnet', 'a misspelt section is not applied');
  const warnings = config.warnings.join('\n');
  assert.match(warnings, /environment variable HTTP__PROXY is ignored: HTTP is not a config section; if it is meant for Https, name it Https__…/);
  assert.match(warnings, /environment variable ERROR__REPORTING is ignored: ERROR is not a config section; if it is meant for Errors, name it Errors__…/);
  assert.match(warnings, /environment variable Tracng__Format is ignored: .*meant for Tracing/);
  assert.equal(config.warnings.length, 3, warnings);
  // The value of an ignored variable is nobody's business: it is not in the warning.
  assert.ok(!warnings.includes('proxy.internal'), warnings);
  assert.ok(!config.sources.some((s) => s.variables?.includes('HTTP__PROXY')));
});

test("ASP.NET Core's logging-provider keys from variables are accepted and change nothing of ours", () => {
  const config = loadConfig({
    dir: configDir({ 'appsettings.json': { Logging: { LogLevel: { Default: 'Warning' } } } }),
    env: {
      Logging__Console__LogLevel__Default: 'Error',
      Logging__EventLog__LogLevel__Default: 'Warning',
      Logging__Debug__LogLevel__Default: 'Trace',
      Logging__EventSource__LogLevel__Default: 'None',
      Logging__ApplicationInsights__LogLevel__Default: 'Information',
      Logging__LogLevel__Microsoft: 'Warning',
    },
  });
  assert.equal(config.Logging.Console, true);
  assert.equal(config.Logging.LogLevel.Default, 'Warning');
  assert.equal(config.Logging.LogLevel['Microsoft'], 'Warning');
  assert.deepEqual(Object.keys(config.Logging).sort(), ['Console', 'DetailedTrace', 'Directory', 'File', 'LogLevel']);
  // The console provider's own filter would change what ASP.NET prints; here it does not, and we say so.
  assert.deepEqual(config.warnings, [
    'Logging.Console.LogLevel is ASP.NET Core\'s filter for its console provider and has no effect here: console lines follow Logging.LogLevel; set "Logging": { "Console": false } to turn console output off',
  ]);
});

test('Logging.Console: our boolean and the ASP.NET provider section coexist', () => {
  const file = {
    Logging: {
      IncludeScopes: false,
      Console: { FormatterName: 'json', FormatterOptions: { SingleLine: true } },
      EventLog: { SourceName: 'Issuetrak API', LogLevel: { Default: 'Warning' } },
      Debug: {},
    },
  };
  const dir = configDir({ 'appsettings.json': file });
  const withSection = loadConfig({ dir, env: {} });
  assert.equal(withSection.Logging.Console, true, 'a provider section does not turn our console off');
  assert.deepEqual(withSection.warnings, [], 'only the provider LogLevel has an effect worth a warning');

  const off = loadConfig({ dir, env: { Logging__Console: 'false' } });
  assert.equal(off.Logging.Console, false, 'the boolean is ours, beside the section');

  const emptySection = loadConfig({ dir: configDir({ 'appsettings.json': { Logging: { Console: {} } } }), env: {} });
  assert.equal(emptySection.Logging.Console, true);
});

test('top-level AllowedHosts and Kestrel pass through as host sections, from files and variables', () => {
  const dir = configDir({ 'appsettings.json': { AllowedHosts: '*', Kestrel: { Endpoints: { Http: { Url: 'http://0.0.0.0:5000' } } } } });
  const config = loadConfig({ dir, env: { Kestrel__Endpoints__Http__Url: 'http://127.0.0.1:5001', AllowedHosts: 'api.example.com' } });
  assert.equal(config.section('AllowedHosts'), 'api.example.com');
  assert.deepEqual(config.section('kestrel'), { Endpoints: { Http: { Url: 'http://127.0.0.1:5001' } } });
  // Without them in a file, the variables are someone else's: ignored, no error, no warning.
  const bare = loadConfig({ dir: configDir(), env: { Kestrel__Endpoints__Http__Url: 'http://x', AllowedHosts: '*' } });
  assert.equal(bare.section('Kestrel'), undefined);
  assert.deepEqual(bare.warnings, []);
});

test('inside our sections a typo is still an error with a suggestion, from a file or a variable', () => {
  const variable = configError(() => loadConfig({ dir: configDir(), env: { Logging__LogLevl__Default: 'Debug' } }));
  assert.equal(variable.code, 'CONFIG_UNKNOWN_KEY');
  assert.match(variable.message, /^environment variable Logging__LogLevl__Default: Logging\.LogLevl: unknown key; did you mean "LogLevel"\?/);

  const consoleTypo = configError(() =>
    loadConfig({ dir: configDir({ 'appsettings.json': '{\n  "Logging": {\n    "Consle": { "LogLevel": { "Default": "Warning" } }\n  }\n}\n' }), env: {} }),
  );
  assert.equal(consoleTypo.code, 'CONFIG_UNKNOWN_KEY');
  assert.match(consoleTypo.message, /^appsettings\.json:3:5 Logging\.Consle: unknown key; did you mean "Console"\?/);

  const scalar = configError(() => loadConfig({ dir: configDir(), env: { Logging__Verbose: 'true' } }));
  assert.match(scalar.message, /Logging\.Verbose: unknown key; Logging takes LogLevel, DetailedTrace, Directory, File, Console/);

  // A misspelt section in a file is ours to report: files are written for this app.
  const section = configError(() => loadConfig({ dir: configDir({ 'appsettings.json': { RateLimting: { Enabled: false } } }), env: {} }));
  assert.equal(section.code, 'CONFIG_UNKNOWN_SECTION');
});
