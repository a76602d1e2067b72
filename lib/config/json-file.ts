/**
 * Reads one appsettings file the way ASP.NET Core accepts it: comments, trailing commas, a BOM,
 * CRLF, keys case-insensitive (so two keys equal ignoring case are a duplicate, which is an error
 * here because silently keeping one of them hides a typo). Produces the file's leaves.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { type Node, type ParseError, getNodeValue, parseTree, printParseErrorCode, stripComments } from 'jsonc-parser';
import { connectionStringPassword } from './connection-string.js';
import { ConfigError, fileIssue, lineAndColumn } from './errors.js';
import { isSecretPath } from './issues.js';
import { EMPTY_ARRAY, EMPTY_OBJECT, type Entry, type FileLayer, type Loc, formatPath, keyOf } from './layers.js';
import { secretMasker } from '../core/index.js';
import { TOO_DEEP_PROBLEM, tooDeepOffset } from './nesting.js';

/** Files larger than this are refused: an appsettings file that big is a mistake (a log pasted in?). */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

const SYNTAX_HINTS: Partial<Record<string, string>> = {
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value (a string, number, true, false, null, an object or an array)',
  ColonExpected: 'expected ":" after the property name',
  CommaExpected: 'expected "," between entries (is a comma missing at the end of the previous line?)',
  CloseBraceExpected: 'expected "}" (an object is not closed)',
  CloseBracketExpected: 'expected "]" (an array is not closed)',
  EndOfFileExpected: 'expected the end of the file after the root object (is there an extra "}"?)',
  InvalidSymbol: 'unexpected character (property names and strings need double quotes)',
  UnexpectedEndOfString: 'a string is not closed (missing ")',
  InvalidEscapeCharacter: 'invalid escape in a string (write a backslash as \\\\, e.g. "host\\\\instance")',
  UnexpectedEndOfComment: 'a /* comment is not closed',
  InvalidNumberFormat: 'invalid number',
};

export interface ReadFile {
  readonly file: FileLayer;
  readonly entries: readonly Omit<Entry, 'origin'>[];
}

/**
 * One config file, read once: what the loader merges, and what doctor reports even when the file
 * is broken. Reading never throws; a problem a user can cause is `error`.
 */
export interface ConfigFileRead {
  /** Absolute path as found on disk, or the expected path when there is no such file. */
  readonly path: string;
  /** Base name, used in messages. */
  readonly name: string;
  readonly found: boolean;
  /** The file's leaves, when it read and parsed cleanly. */
  readonly layer?: ReadFile;
  /** Why the file cannot be used: unreadable, too large, UTF-16, invalid JSON, a duplicate key, too deep. */
  readonly error?: ConfigError;
  /** A best-effort value even with syntax errors (the parser recovers); undefined when unreadable or too deep. */
  readonly value?: unknown;
}

type Parsed = Pick<ConfigFileRead, 'layer' | 'error' | 'value'>;

/** Reads, parses and flattens a config file. Never throws. */
export function readConfigFile(path: string): ConfigFileRead {
  const name = basename(path);
  const missing: ConfigFileRead = { path, name, found: false };
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      const error = new ConfigError(`${name}: is a directory, not a file; remove it or rename it`, { code: 'CONFIG_FILE_UNREADABLE', file: name });
      return { path, name, found: true, error };
    }
    size = stat.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return missing;
    return { path, name, found: true, error: unreadable(name, error) };
  }
  if (size > MAX_CONFIG_FILE_BYTES) {
    const error = new ConfigError(`${name}: the file is ${size} bytes, over the 1 MiB limit for a config file; is it the right file?`, {
      code: 'CONFIG_FILE_TOO_LARGE',
      file: name,
    });
    return { path, name, found: true, error };
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return missing;
    return { path, name, found: true, error: unreadable(name, error) };
  }
  // Windows editors can save "Unicode" (UTF-16); parsed as UTF-8 that is a baffling syntax error at 1:1.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const error = new ConfigError(`${name}: the file is saved as UTF-16; save it as UTF-8 (with or without a byte-order mark)`, {
      code: 'CONFIG_SYNTAX',
      file: name,
      line: 1,
      column: 1,
    });
    return { path, name, found: true, error };
  }
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { path, name, found: true, ...parseConfigFile(path, text) };
}

function unreadable(name: string, error: unknown): ConfigError {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
  return new ConfigError(
    `${name}: cannot be read (${code}); check that the file exists and the app's user may read it`,
    { code: 'CONFIG_FILE_UNREADABLE', file: name, cause: error },
  );
}

/** Parses config text (BOM already removed). Throws ConfigError. Exposed for tests and tools. */
export function parseConfigText(path: string, text: string): ReadFile {
  const parsed = parseConfigFile(path, text);
  if (parsed.error) throw parsed.error;
  return parsed.layer as ReadFile;
}

function parseConfigFile(path: string, text: string): Parsed {
  const name = basename(path);
  // Before the parser: it recurses once per level and would overflow on a deep enough file.
  const deep = tooDeepOffset(text);
  if (deep !== undefined) {
    return { error: ConfigError.fromIssues([fileIssue('CONFIG_TOO_DEEP', name, undefined, TOO_DEEP_PROBLEM, { text, offset: deep })]) };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const value: unknown = root ? getNodeValue(root) : undefined;
  const first = errors[0];
  if (first && stripComments(text).trim() !== '') {
    const codeName = printParseErrorCode(first.error);
    const hint = SYNTAX_HINTS[codeName] ?? codeName;
    const issue = fileIssue('CONFIG_SYNTAX', name, undefined, `invalid JSON: ${hint}`, { text, offset: first.offset, mask: secretsOfTree(root, text) });
    return { value, error: ConfigError.fromIssues([issue]) };
  }
  if (!root || root.type !== 'object') {
    const what = root ? `the root is ${root.type === 'array' ? 'an array' : `a ${root.type}`}` : 'the file is empty';
    const problem = `${what}; a config file must hold one JSON object, e.g. { "RateLimiting": { ... } }`;
    if (!root) return { error: new ConfigError(`${name}: ${problem}`, { code: 'CONFIG_ROOT_NOT_OBJECT', file: name, line: 1, column: 1 }) };
    return { value, error: ConfigError.fromIssues([fileIssue('CONFIG_ROOT_NOT_OBJECT', name, undefined, problem, { text, offset: root.offset })]) };
  }
  const locs = new Map<string, Loc>();
  const entries: Omit<Entry, 'origin'>[] = [];
  try {
    walk(root, [], undefined);
  } catch (error) {
    if (error instanceof ConfigError) return { value, error };
    throw error;
  }
  return { value, layer: { file: { path, name, text, locs }, entries } };

  function walk(node: Node, segments: string[], keyOffset: number | undefined): void {
    locs.set(keyOf(segments), { offset: node.offset, length: node.length, ...(keyOffset === undefined ? {} : { keyOffset }) });
    if (node.type === 'object') {
      const seen = new Map<string, Node>();
      const properties = node.children ?? [];
      if (properties.length === 0 && segments.length > 0) entries.push({ segments, value: EMPTY_OBJECT });
      for (const property of properties) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || !valueNode || typeof keyNode.value !== 'string') continue;
        const key = keyNode.value;
        const previous = seen.get(key.toLowerCase());
        if (previous) {
          const { line } = lineAndColumn(text, previous.offset);
          const problem = `duplicate key; ${JSON.stringify(previous.value)} is already set on line ${line} (keys are case-insensitive); remove one of them`;
          throw ConfigError.fromIssues([
            fileIssue('CONFIG_DUPLICATE_KEY', name, formatPath([...segments, key]), problem, {
              text,
              offset: keyNode.offset,
              mask: secretsOfTree(root, text),
            }),
          ]);
        }
        seen.set(key.toLowerCase(), keyNode);
        walk(valueNode, [...segments, key], keyNode.offset);
      }
    } else if (node.type === 'array') {
      const items = node.children ?? [];
      if (items.length === 0) entries.push({ segments, value: EMPTY_ARRAY });
      items.forEach((item, index) => walk(item, [...segments, String(index)], undefined));
    } else if (node.type === 'string' || node.type === 'number' || node.type === 'boolean') {
      entries.push({ segments, value: node.value as string | number | boolean });
    }
    // null: the key is left unset, so a lower layer's value (or the default) stays.
  }
}

// `Password=…` / `Pwd=…` inside a connection string, even one the parser could not finish reading.
const PASSWORD_PART = /((?:password|pwd)\s*=\s*)("[^"]*"?|'[^']*'?|[^;"']*)/gi;

/**
 * A mask for lines shown with a syntax or duplicate-key error: the file did not load, so the usual
 * secret masking has no values yet. The parser's partial tree still holds the values it could read.
 */
function secretsOfTree(root: Node | undefined, text: string): (line: string) => string {
  const secrets: string[] = [];
  const visit = (node: Node, segments: readonly string[]): void => {
    if (node.type === 'object') {
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (keyNode && valueNode && typeof keyNode.value === 'string') visit(valueNode, [...segments, keyNode.value]);
      }
    } else if (node.type === 'array') {
      (node.children ?? []).forEach((item, index) => visit(item, [...segments, String(index)]));
    } else if (isSecretPath(segments)) {
      // The raw text too: an unclosed string's value may differ from what the line shows.
      secrets.push(String(node.value), text.slice(node.offset, node.offset + node.length).replace(/^"|"$/g, ''));
    } else if (typeof node.value === 'string') {
      const password = connectionStringPassword(node.value);
      if (password) secrets.push(password);
    }
  };
  if (root) visit(root, []);
  const mask = secretMasker(secrets);
  return (line) => mask(line).replace(PASSWORD_PART, '$1***');
}
