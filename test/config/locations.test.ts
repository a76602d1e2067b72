/**
 * Every error points at what caused it. A section given where a value belongs used to be blamed on
 * "defaults" (the defaults hold a value at that path; the section below it came from a file or a
 * variable). These cases go through the general rule, not one special case per key.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../lib/config/index.js';
import { assertLocated, configDir, configError } from './helpers.js';

const cases: Array<{ name: string; text: string; line: number; column: number; path: string; hint: string }> = [
  {
    name: 'a section where Https.Hsts takes a boolean',
    text: '{\n  "Https": {\n    "Hsts": { "MaxAge": 31536000 }\n  }\n}\n',
    line: 3,
    column: 13,
    path: 'Https.Hsts',
    hint: 'a section is not a boolean; use true or false',
  },
  {
    name: 'a list where RateLimiting.Enabled takes a boolean',
    text: '{\n  "RateLimiting": {\n    "Enabled": [ true ]\n  }\n}\n',
    line: 3,
    column: 16,
    path: 'RateLimiting.Enabled',
    hint: 'an array is not a boolean',
  },
  {
    name: 'a section where Tracing.Header takes a string',
    text: '{\n  "Tracing": { "Header": { "Name": "X-Id" } }\n}\n',
    line: 2,
    column: 26,
    path: 'Tracing.Header',
    hint: 'a section is not a header name',
  },
  {
    name: 'a section where Logging.File.MaxSize takes a size, in the environment file',
    text: '{\n  "Logging": {\n    "File": {\n      "MaxSize": { "Value": 20 }\n    }\n  }\n}\n',
    line: 4,
    column: 18,
    path: 'Logging.File.MaxSize',
    hint: 'is not a size',
  },
];

for (const c of cases) {
  test(`located in the file, not "defaults": ${c.name}`, () => {
    const file = c.name.includes('environment file') ? 'appsettings.Production.json' : 'appsettings.json';
    const error = configError(() => loadConfig({ dir: configDir({ [file]: c.text }), env: {} }));
    assert.ok(!error.message.startsWith('defaults'), error.message);
    assertLocated(error, { file, line: c.line, column: c.column, path: c.path, hint: c.hint });
  });
}

test('a variable that makes a value into a section is named, and the file value it shadows is not blamed', () => {
  const dir = configDir({ 'appsettings.json': '{\n  "Https": { "Hsts": true }\n}\n' });
  const error = configError(() => loadConfig({ dir, env: { Https__Hsts__MaxAge: '5' } }));
  assert.equal(error.issues.length, 1, error.message);
  assert.equal(error.variable, 'Https__Hsts__MaxAge');
  assert.match(error.message, /^environment variable Https__Hsts__MaxAge: Https\.Hsts: a section is not a boolean/);
});

test('a value where our section belongs is still blamed on the layer that wrote the value', () => {
  const error = configError(() => loadConfig({ dir: configDir({ 'appsettings.json': '{\n  "Logging": {\n    "LogLevel": "Debug"\n  }\n}\n' }), env: {} }));
  assertLocated(error, { file: 'appsettings.json', line: 3, column: 17, path: 'Logging.LogLevel', hint: '"Debug" is not a section' });
});
