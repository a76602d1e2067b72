// Temp config folders for the config tests: real files in a fresh directory, removed afterwards.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../lib/config/index.js';

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A new temp dir holding `files` (name → text, or a value JSON-encoded with indentation). */
export function configDir(files: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'api-guard-config-'));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) write(dir, name, content);
  return dir;
}

export function write(dir: string, name: string, content: unknown): void {
  writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
}

/** Runs `fn`, asserts it throws a ConfigError, returns it. */
export function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ConfigError');
}

/** Asserts the message names file:line:column, the path and a hint, and shows a caret line. */
export function assertLocated(error: ConfigError, expected: { file: string; line: number; column: number; path: string; hint: string | RegExp }): void {
  const { file, line, column, path, hint } = expected;
  assert.equal(error.file, file, error.message);
  assert.equal(error.line, line, error.message);
  assert.equal(error.column, column, error.message);
  assert.equal(error.path, path, error.message);
  assert.ok(error.message.startsWith(`${file}:${line}:${column} ${path}: `), error.message);
  if (typeof hint === 'string') assert.ok(error.message.includes(hint), `${error.message}\n--- should include: ${hint}`);
  else assert.match(error.message, hint);
  assert.match(error.message, new RegExp(`\\n  ${line} \\| .*\\n +\\^`), error.message);
}
