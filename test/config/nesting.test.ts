/**
 * The nesting bound (MAX_CONFIG_DEPTH, 64): deeper input is a located ConfigError from every layer,
 * never a RangeError from a recursive walk. 2000 levels is what crashed the loader and doctor before.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_CONFIG_DEPTH, loadConfig } from '../../lib/config/index.js';
import { configDir, configError } from './helpers.js';

/** `{ "MyApp": { "a": { "a": … 1 } } }` with `depth` objects in all, one per line. */
function nested(depth: number): string {
  const lines = ['{', '  "MyApp": {'];
  for (let level = 3; level <= depth; level++) lines.push(`${' '.repeat(level % 10)}"a": {`);
  lines.push('"leaf": 1');
  for (let level = 1; level <= depth; level++) lines.push('}');
  return lines.join('\n');
}

test('the bound is 64 levels: 64 load, 65 is an error at the line and column of the 65th', () => {
  assert.equal(MAX_CONFIG_DEPTH, 64);
  const ok = loadConfig({ dir: configDir({ 'appsettings.json': nested(64) }), env: {} });
  assert.ok(ok.section('MyApp'));

  const error = configError(() => loadConfig({ dir: configDir({ 'appsettings.json': nested(65) }), env: {} }));
  assert.equal(error.code, 'CONFIG_TOO_DEEP');
  assert.equal(error.file, 'appsettings.json');
  assert.equal(error.line, 65);
  assert.equal(error.column, 11);
  assert.match(error.message, /^appsettings\.json:65:11 nested deeper than 64 levels/);
});

test('a 2000-level file is a located error, not a RangeError', () => {
  const error = configError(() => loadConfig({ dir: configDir({ 'appsettings.json': nested(2000) }), env: {} }));
  assert.equal(error.code, 'CONFIG_TOO_DEEP');
  assert.match(error.message, /^appsettings\.json:65:\d+ /);

  // The same nesting on one line (minified or generated): located, and the shown line is cut to the spot.
  const oneLine = `{"MyApp":${'{"a":'.repeat(2000)}1${'}'.repeat(2001)}}`;
  const minified = configError(() => loadConfig({ dir: configDir({ 'appsettings.json': oneLine }), env: {} }));
  assert.equal(minified.code, 'CONFIG_TOO_DEEP');
  assert.equal(minified.line, 1);
  const [, shown = '', caret = ''] = minified.message.split('\n');
  assert.ok(shown.length < 200, `the shown line is ${shown.length} characters`);
  assert.equal(shown[caret.indexOf('^')], '{', 'the caret is under the brace that opens level 65');
});

test('arrays count as levels, and brackets inside strings and comments do not', () => {
  const arrays = `{ "MyApp": ${'['.repeat(70)}1${']'.repeat(70)} }`;
  assert.equal(configError(() => loadConfig({ dir: configDir({ 'appsettings.json': arrays }), env: {} })).code, 'CONFIG_TOO_DEEP');
  const text = `{\n  // ${'{'.repeat(100)}\n  "MyApp": { "Text": "${'['.repeat(100)}" }\n}\n`;
  assert.equal(loadConfig({ dir: configDir({ 'appsettings.json': text }), env: {} }).section<{ Text: string }>('MyApp')?.Text, '['.repeat(100));
});

test('a variable with more than 64 sections is a located error when it is config, ignored otherwise', () => {
  const deep = ['MyApp', ...Array.from({ length: 64 }, () => 'a')].join('__');
  const error = configError(() => loadConfig({ dir: configDir({ 'appsettings.json': { MyApp: {} } }), env: { [deep]: 'x' } }));
  assert.equal(error.code, 'CONFIG_TOO_DEEP');
  assert.equal(error.variable, deep);
  assert.match(error.message, /^environment variable MyApp__a__a.*…: 65 sections separated by __; nested deeper than 64 levels/);

  const unrelated = Array.from({ length: 5000 }, () => 'x').join('__');
  assert.equal(loadConfig({ dir: configDir(), env: { [unrelated]: '1' } }).Https.Required, true);
});

test('overrides nested too deep, or containing themselves, are a ConfigError', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.Self = cyclic;
  const error = configError(() => loadConfig({ dir: configDir(), env: {}, overrides: { MyApp: cyclic } }));
  assert.equal(error.code, 'CONFIG_TOO_DEEP');
  assert.match(error.message, /^overrides: MyApp\.Self…: nested deeper than 64 levels/);
});
