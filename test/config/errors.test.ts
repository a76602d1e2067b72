import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../lib/config/index.js';
import { assertLocated, configDir, configError } from './helpers.js';

/** 1-based line and column of the first `needle` in `text` (the test's own reckoning). */
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = text.indexOf(needle, index + 1);
  assert.ok(index >= 0, `fixture lacks ${needle}`);
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

function load(files: Record<string, string>, options: { environment?: string; env?: Record<string, string> } = {}) {
  const dir = configDir(files);
  return () => loadConfig({ dir, env: options.env ?? {}, ...(options.environment ? { environment: options.environment } : {}) });
}

const release = `{
  "RateLimiting": {
    "Rules": [
      { "Name": "a", "Endpoint": "*", "Period": "1s", "Limit": 5 },
      {
        "Name": "b", "Endpoint": "*",
       "Period": "10 min",
        "Limit": 5
      }
    ]
  }
}
`;

test('the example from the issue: a bad period names file:line:column, path, hint and shows the line', () => {
  const error = configError(load({ 'appsettings.release.json': release }, { environment: 'release' }));
  assert.equal(error.code, 'CONFIG_INVALID');
  assertLocated(error, {
    file: 'appsettings.release.json',
    ...at(release, '"10 min"'),
    path: 'RateLimiting.Rules[1].Period',
    hint: '"10 min" is not a period; use a number followed by s, m, h or d (e.g. "10m")',
  });
  assert.equal(error.line, 7);
  assert.equal(error.column, 18);
  assert.ok(error.message.includes('\n  7 |        "Period": "10 min",\n'), error.message);
  assert.ok(error.message.endsWith(`\n${' '.repeat('  7 | '.length + 17)}^`), error.message);
});

test('malformed JSON reports the first syntax error with line, column and what to fix', () => {
  const text = '{\n  "Tracing": { "Format": "w3c" }\n  "Errors": {}\n}\n';
  const error = configError(load({ 'appsettings.json': text }));
  assert.equal(error.code, 'CONFIG_SYNTAX');
  assert.equal(error.file, 'appsettings.json');
  assert.deepEqual({ line: error.line, column: error.column }, at(text, '"Errors"'));
  assert.match(error.message, /^appsettings\.json:3:3 invalid JSON: expected "," between entries/);
  assert.match(error.message, /\n {2}3 \| {3}"Errors": \{\}\n {8}\^/);
});

test('an unclosed object at the end of the file is a syntax error too', () => {
  const error = configError(load({ 'appsettings.json': '{ "Tracing": { "Format": "w3c" }\n' }));
  assert.equal(error.code, 'CONFIG_SYNTAX');
  assert.match(error.message, /expected "}"/);
});

test('a duplicate key (ignoring case) is an error at the second key, naming the first', () => {
  const text = '{\n  "RateLimiting": {\n    "Enabled": true,\n    "enabled": false\n  }\n}\n';
  const error = configError(load({ 'appsettings.json': text }));
  assert.equal(error.code, 'CONFIG_DUPLICATE_KEY');
  assertLocated(error, { file: 'appsettings.json', ...at(text, '"enabled"'), path: 'RateLimiting.enabled', hint: '"Enabled" is already set on line 3' });
});

test('a root that is not an object, and an empty file, are clear errors', () => {
  const array = configError(load({ 'appsettings.json': '[1, 2]' }));
  assert.equal(array.code, 'CONFIG_ROOT_NOT_OBJECT');
  assert.match(array.message, /^appsettings\.json:1:1 the root is an array; a config file must hold one JSON object/);
  const empty = configError(load({ 'appsettings.json': '  // nothing\n' }));
  assert.equal(empty.code, 'CONFIG_ROOT_NOT_OBJECT');
  assert.match(empty.message, /^appsettings\.json: the file is empty; a config file must hold one JSON object/);
});

test('a UTF-16 file is named as such', () => {
  const dir = configDir();
  writeFileSync(join(dir, 'appsettings.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{}', 'utf16le')]));
  const error = configError(() => loadConfig({ dir, env: {} }));
  assert.equal(error.code, 'CONFIG_SYNTAX');
  assert.match(error.message, /^appsettings\.json: the file is saved as UTF-16; save it as UTF-8/);
});

test('a file over 1 MiB is refused', () => {
  const big = `{ "MyApp": "${'x'.repeat(1024 * 1024)}" }`;
  const error = configError(load({ 'appsettings.json': big }));
  assert.equal(error.code, 'CONFIG_FILE_TOO_LARGE');
  assert.match(error.message, /^appsettings\.json: the file is \d+ bytes, over the 1 MiB limit/);
});

test('an unreadable config file is a clear error', () => {
  const dir = configDir();
  mkdirSync(join(dir, 'appsettings.json'));
  const error = configError(() => loadConfig({ dir, env: {} }));
  assert.equal(error.code, 'CONFIG_FILE_UNREADABLE');
  assert.match(error.message, /^appsettings\.json: is a directory, not a file/);
});

test('a file without read permission is a clear error', { skip: process.getuid?.() === 0 ? 'running as root: permissions are not enforced' : false }, () => {
  const dir = configDir({ 'appsettings.json': '{}' });
  chmodSync(join(dir, 'appsettings.json'), 0o000);
  const error = configError(() => loadConfig({ dir, env: {} }));
  assert.equal(error.code, 'CONFIG_FILE_UNREADABLE');
  assert.match(error.message, /cannot be read \(EACCES\)/);
});

test('a missing directory, or a file given as the directory, is a clear error', () => {
  const dir = configDir();
  const missing = configError(() => loadConfig({ dir: join(dir, 'nope'), env: {} }));
  assert.equal(missing.code, 'CONFIG_DIR_MISSING');
  assert.match(missing.message, /config directory .*nope does not exist; create it or pass the folder that holds appsettings\.json/);
  writeFileSync(join(dir, 'file'), '');
  const file = configError(() => loadConfig({ dir: join(dir, 'file'), env: {} }));
  assert.equal(file.code, 'CONFIG_DIR_MISSING');
  assert.match(file.message, /is a file, not a directory/);
});

const cases: Array<{ name: string; section: string; needle: string; path: string; hint: string }> = [
  { name: 'zero limit', section: '"RateLimiting": { "Rules": [ { "Name": "a", "Endpoint": "*", "Period": "1s", "Limit": 0 } ] }', needle: '0 }', path: 'RateLimiting.Rules[0].Limit', hint: '0 is out of range; use a positive whole number of requests (e.g. 100)' },
  { name: 'fractional limit', section: '"RateLimiting": { "Rules": [ { "Name": "a", "Endpoint": "*", "Period": "1s", "Limit": 1.5 } ] }', needle: '1.5', path: 'RateLimiting.Rules[0].Limit', hint: '1.5 is not a whole number; use a positive whole number' },
  { name: 'text limit', section: '"RateLimiting": { "Rules": [ { "Name": "a", "Endpoint": "*", "Period": "1s", "Limit": "lots" } ] }', needle: '"lots"', path: 'RateLimiting.Rules[0].Limit', hint: '"lots" is not a number; use a positive whole number' },
  { name: 'bad method', section: '"RateLimiting": { "Rules": [ { "Name": "a", "Endpoint": "fetch:/x", "Period": "1s", "Limit": 1 } ] }', needle: '"fetch:/x"', path: 'RateLimiting.Rules[0].Endpoint', hint: '"fetch:/x" is not an endpoint: "fetch" is not an HTTP method; use "*" or "<methods>:<path-glob>"' },
  { name: 'endpoint without colon', section: '"RateLimiting": { "EndpointWhitelist": [ "get /health" ] }', needle: '"get /health"', path: 'RateLimiting.EndpointWhitelist[0]', hint: 'is not an endpoint' },
  { name: 'status code', section: '"RateLimiting": { "HttpStatusCode": 200 }', needle: '200', path: 'RateLimiting.HttpStatusCode', hint: '200 is out of range; use an HTTP error status between 400 and 599' },
  { name: 'client key', section: '"RateLimiting": { "ClientKey": "cookie" }', needle: '"cookie"', path: 'RateLimiting.ClientKey', hint: '"cookie" is not a client key; use "ip" or "header:<Header-Name>"' },
  { name: 'store', section: '"RateLimiting": { "Store": "memcached" }', needle: '"memcached"', path: 'RateLimiting.Store', hint: '"memcached" is not allowed; use one of "memory", "redis"' },
  { name: 'boolean', section: '"RateLimiting": { "Enabled": "yes" }', needle: '"yes"', path: 'RateLimiting.Enabled', hint: '"yes" is not a boolean; use true or false' },
  { name: 'ip whitelist', section: '"RateLimiting": { "IpWhitelist": [ "10.0.0.300" ] }', needle: '"10.0.0.300"', path: 'RateLimiting.IpWhitelist[0]', hint: 'is not an IP address or CIDR range' },
  { name: 'log level', section: '"Logging": { "LogLevel": { "Default": "Verbose" } }', needle: '"Verbose"', path: 'Logging.LogLevel.Default', hint: '"Verbose" is not a log level; use one of Trace, Debug, Information, Warning, Error, Critical, None' },
  { name: 'max size', section: '"Logging": { "File": { "MaxSize": "20mb" } }', needle: '"20mb"', path: 'Logging.File.MaxSize', hint: '"20mb" is not a size; use a number followed by k, m or g (e.g. "20m")' },
  { name: 'max size as a byte count', section: '"Logging": { "File": { "MaxSize": 1048576 } }', needle: '1048576', path: 'Logging.File.MaxSize', hint: '1048576 is not a size; use a number followed by k, m or g (e.g. "20m")' },
  { name: 'max files', section: '"Logging": { "File": { "MaxFiles": "two weeks" } }', needle: '"two weeks"', path: 'Logging.File.MaxFiles', hint: 'is not a retention; use days such as "14d" or a number of files' },
  { name: 'trace format', section: '"Tracing": { "Format": "uuid" }', needle: '"uuid"', path: 'Tracing.Format', hint: 'use one of "aspnet", "w3c"' },
  { name: 'section as scalar', section: '"Https": true', needle: 'true', path: 'Https', hint: 'true is not a section; Https must be an object of settings' },
  { name: 'duplicate rule names', section: '"RateLimiting": { "Rules": [ { "Name": "a", "Endpoint": "*", "Period": "1s", "Limit": 1 }, { "Name": "A", "Endpoint": "*", "Period": "1m", "Limit": 9 } ] }', needle: '"A"', path: 'RateLimiting.Rules[1].Name', hint: '"A" duplicates the name of Rules[0]; rule names must be unique' },
  { name: 'unknown key', section: '"RateLimiting": { "Rules": [ { "Name": "a", "Endpoint": "*", "Period": "1s", "Limt": 1 } ] }', needle: '"Limt"', path: 'RateLimiting.Rules[0].Limt', hint: 'unknown key; did you mean "Limit"?' },
  { name: 'unknown nested key', section: '"RateLimiting": { "Redis": { "Timeout": 100 } }', needle: '"Timeout"', path: 'RateLimiting.Redis.Timeout', hint: 'unknown key; did you mean "TimeoutMs"?' },
  { name: 'unknown key without a close match', section: '"Errors": { "Verbose": true }', needle: '"Verbose"', path: 'Errors.Verbose', hint: 'unknown key; Errors takes Format, IncludeDetails' },
  { name: 'misspelt section', section: '"RateLimting": { "Enabled": true }', needle: '"RateLimting"', path: 'RateLimting', hint: 'unknown section; did you mean RateLimiting?' },
];

for (const c of cases) {
  test(`bad value is located: ${c.name}`, () => {
    const text = `{\n  "MyApp": {},\n  ${c.section}\n}\n`;
    const error = configError(load({ 'appsettings.json': text }));
    assertLocated(error, { file: 'appsettings.json', ...at(text, c.needle), path: c.path, hint: c.hint });
  });
}

test('a rule missing a key points at the rule and says what is needed', () => {
  const text = '{\n  "RateLimiting": {\n    "Rules": [\n      { "Name": "a", "Endpoint": "*", "Period": "1s" }\n    ]\n  }\n}\n';
  const error = configError(load({ 'appsettings.json': text }));
  assertLocated(error, { file: 'appsettings.json', ...at(text, '{ "Name"'), path: 'RateLimiting.Rules[0].Limit', hint: 'is missing; use a positive whole number of requests' });
});

test('the error names the layer that set the bad value: base file, environment file or variable', () => {
  const baseText = '{\n  "RateLimiting": { "HttpStatusCode": 200 }\n}\n';
  const fromBase = configError(load({ 'appsettings.json': baseText, 'appsettings.Staging.json': '{ "Tracing": {} }' }, { environment: 'Staging' }));
  assert.equal(fromBase.file, 'appsettings.json');

  const envText = '{\n  "RateLimiting": {\n    "HttpStatusCode": 600\n  }\n}\n';
  const fromEnvFile = configError(load({ 'appsettings.json': baseText, 'appsettings.Staging.json': envText }, { environment: 'Staging' }));
  assertLocated(fromEnvFile, { file: 'appsettings.Staging.json', ...at(envText, '600'), path: 'RateLimiting.HttpStatusCode', hint: '600 is out of range' });

  const withRules = '{ "RateLimiting": { "Rules": [ { "Name": "a", "Endpoint": "*", "Period": "1s", "Limit": 1 } ] } }';
  const fromVariable = configError(
    load({ 'appsettings.json': withRules }, { env: { RateLimiting__HttpStatusCode: 'many', RateLimiting__Rules__0__Limit: '-1' } }),
  );
  assert.equal(fromVariable.file, undefined);
  assert.equal(fromVariable.variable, 'RateLimiting__HttpStatusCode');
  assert.match(fromVariable.message, /^environment variable RateLimiting__HttpStatusCode: RateLimiting\.HttpStatusCode: "many" is not a number; use an HTTP error status/);
  assert.match(fromVariable.message, /environment variable RateLimiting__Rules__0__Limit: RateLimiting\.Rules\[0\]\.Limit: "-1" is out of range/);
  assert.equal(fromVariable.issues.length, 2);
});

test('a variable adding an incomplete rule names the variable and its real index', () => {
  const error = configError(load({}, { env: { RateLimiting__Rules__7__Limit: '5' } }));
  // The defaults do not apply once a layer sets Rules; rule "7" is the only one and lacks a name.
  assert.equal(error.variable, 'RateLimiting__Rules__7__Limit');
  assert.match(error.message, /RateLimiting\.Rules\[7\]\.Name: is missing; give each rule a short unique name/);
});

test('every problem in one pass is reported together', () => {
  const text = '{\n  "Tracing": { "Format": "x" },\n  "Errors": { "Format": "y" }\n}\n';
  const error = configError(load({ 'appsettings.json': text }));
  assert.equal(error.issues.length, 2);
  assert.deepEqual(error.issues.map((i) => i.path), ['Tracing.Format', 'Errors.Format']);
  assert.match(error.message, /appsettings\.json:3:\d+ Errors\.Format/);
});

test('secrets never appear in messages: a wrong-typed SessionSigningKey or connection string is masked', () => {
  const text = '{\n  "SessionSigningKey": 987654321,\n  "ConnectionStrings": { "Issuetrak-Databse": { "Password": "hunter2-secret" } },\n  "SecureStorageKeys": { "KeyForEncrypter-1": ["s3cr3t-key-value"] }\n}\n';
  const error = configError(load({ 'appsettings.json': text }));
  for (const secret of ['987654321', 'hunter2-secret', 's3cr3t-key-value']) assert.ok(!error.message.includes(secret), error.message);
  assertLocated(error, { file: 'appsettings.json', ...at(text, '987654321'), path: 'SessionSigningKey', hint: '*** is not a string; put the value in double quotes' });
  assert.ok(error.message.includes('  2 |   "SessionSigningKey": ***,'), error.message);
  assert.equal(error.issues.length, 3);
  assert.ok(error.issues.some((i) => i.path === 'ConnectionStrings.Issuetrak-Databse'));
});

test('a secret on the same line as an error is masked in the shown line', () => {
  const text = '{ "Tracing": { "Format": "nope" }, "SessionSigningKey": "same-line-secret" }';
  const error = configError(load({ 'appsettings.json': text }));
  assert.equal(error.path, 'Tracing.Format');
  assert.ok(!error.message.includes('same-line-secret'), error.message);
  assert.ok(error.message.includes('"SessionSigningKey": "***"'), error.message);
});

test('variables: a misspelt key in our section is an error, a value where a section belongs is an error', () => {
  // A near-miss of a section name is outside our sections: a warning, never a failed start (see layering tests).
  const section = loadConfig({ dir: configDir(), env: { RateLimting__Enabled: 'false' } });
  assert.equal(section.RateLimiting.Enabled, true);
  assert.match(section.warnings.join('\n'), /environment variable RateLimting__Enabled is ignored: RateLimting is not a config section; if it is meant for RateLimiting, name it RateLimiting__…/);

  const key = configError(load({}, { env: { RateLimiting__Redis__Timeout: '50' } }));
  assert.equal(key.code, 'CONFIG_UNKNOWN_KEY');
  assert.match(key.message, /RateLimiting__Redis__Timeout: RateLimiting\.Redis\.Timeout: unknown key; did you mean "TimeoutMs"\?/);

  const scalar = configError(load({}, { env: { Logging__LogLevel: 'Debug' } }));
  assert.equal(scalar.variable, 'Logging__LogLevel');
  assert.match(scalar.message, /Logging\.LogLevel: "Debug" is not a section; Logging\.LogLevel must be an object of settings/);

  // A bare variable named like one of our sections (HTTPS=on, set by CGI-style hosts) is not config.
  assert.equal(loadConfig({ dir: configDir(), env: { HTTPS: 'on', Logging: 'x' } }).Https.Required, true);
});

test('overrides with a bad value say so', () => {
  const error = configError(() => loadConfig({ dir: configDir(), env: {}, overrides: { Https: { HstsMaxAge: -5 } } }));
  assert.match(error.message, /^overrides: Https\.HstsMaxAge: -5 is out of range; use seconds/);
});

test('a syntax error or duplicate key on a line holding a secret does not show the secret', () => {
  const cases = [
    // Missing comma: the error points at the next line, itself a connection string.
    '{\n  "ConnectionStrings": {\n    "Issuetrak-Databse": "Server=a;User Id=u;Password=FirstSecret1"\n    "Issuetrak-Database": "Server=b;User Id=u;Password=SecondSecret2"\n  }\n}\n',
    // Unclosed string inside a secret section.
    '{\n  "SecureStorageKeys": { "KeyForEncrypter-1": "SecondSecret2 },\n  "RateLimiting": {}\n}\n',
    // A duplicate key shows the line of the second occurrence.
    '{\n  "SessionSigningKey": "FirstSecret1",\n  "sessionsigningkey": "SecondSecret2"\n}\n',
  ];
  for (const text of cases) {
    const error = configError(load({ 'appsettings.json': text }));
    assert.match(error.code, /CONFIG_SYNTAX|CONFIG_DUPLICATE_KEY/);
    assert.match(error.message, /appsettings\.json:\d+:\d+/);
    for (const secret of ['FirstSecret1', 'SecondSecret2']) assert.ok(!error.message.includes(secret), error.message);
  }
});
