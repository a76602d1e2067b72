/**
 * A tolerant read of an appsettings file for doctor. The loader stops at the first broken file; doctor
 * keeps going, so it reads each file itself: the syntax errors (to report every file, not just the
 * first broken one) and a best-effort value (jsonc-parser recovers past errors) for the checks that
 * can still run on it, and to learn the secrets it must mask.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type ParseError, parse } from 'jsonc-parser';
import { ConfigError, parseConfigText } from '../../config/index.js';

export interface RawJsonFile {
  readonly path: string;
  readonly name: string;
  /** Best-effort parsed value (an object when the root is one), even when there are syntax errors. */
  readonly value: unknown;
  /** `name:line:column invalid JSON: Code` and the line, for the first syntax error. */
  readonly syntaxError?: string;
  /** Set when the file could not be read at all. */
  readonly readError?: string;
}

/** Reads and parses `path` without throwing. */
export function readRawJson(path: string): RawJsonFile {
  const name = basename(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { path, name, value: undefined, readError: (err as NodeJS.ErrnoException).code ?? String(err) };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length === 0) return { path, name, value };
  // The loader's own message: file:line:column, a hint in words, the line and a caret.
  try {
    parseConfigText(path, text);
  } catch (err) {
    if (err instanceof ConfigError) return { path, name, value, syntaxError: err.message };
    throw err;
  }
  return { path, name, value };
}

/** Looks `segments` up in `value` ignoring key case, as ASP.NET Core configuration does. */
export function lookup(value: unknown, segments: readonly string[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    const wanted = segment.toLowerCase();
    const key = Object.keys(current).find((k) => k.toLowerCase() === wanted);
    if (key === undefined) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
