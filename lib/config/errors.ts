/**
 * ConfigError: every problem a user can cause in configuration, with where it is and what to do.
 * Located errors render as `file:line:column path: problem` followed by the offending line and a caret,
 * the way compilers do, because operators fix these files by hand on a server.
 */

/** Machine-readable reasons; stable, so tools (doctor, tests) can switch on them. */
export type ConfigErrorCode =
  | 'CONFIG_DIR_MISSING'
  | 'CONFIG_DIR_UNREADABLE'
  | 'CONFIG_FILE_UNREADABLE'
  | 'CONFIG_FILE_TOO_LARGE'
  | 'CONFIG_FILE_DELETED'
  | 'CONFIG_TOO_DEEP'
  | 'CONFIG_SYNTAX'
  | 'CONFIG_ROOT_NOT_OBJECT'
  | 'CONFIG_DUPLICATE_KEY'
  | 'CONFIG_INVALID'
  | 'CONFIG_UNKNOWN_KEY'
  | 'CONFIG_UNKNOWN_SECTION'
  | 'CONFIG_INVALID_OPTIONS'
  | 'INVALID_PERIOD'
  | 'CONNECTION_STRING_MISSING'
  | 'CONNECTION_STRING_INVALID'
  | 'CONNECTION_STRING_INTEGRATED_SECURITY';

/** One finding; a ConfigError carries one or more (the first also fills the error's own fields). */
export interface ConfigIssue {
  readonly code: ConfigErrorCode;
  /** The whole rendered text for this issue (location, path, problem and the shown line). */
  readonly message: string;
  /** Base name of the file, when the value came from a file. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** JSON path in config terms, e.g. `RateLimiting.Rules[1].Period`. */
  readonly path?: string;
  /** Environment variable that set the value, when it came from one. */
  readonly variable?: string;
}

export interface ConfigErrorOptions extends Omit<ConfigIssue, 'message'> {
  readonly issues?: readonly ConfigIssue[];
  readonly cause?: unknown;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: ConfigErrorCode;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly path?: string;
  readonly variable?: string;
  /** Every finding, when several were collected in one pass (validation reports them together). */
  readonly issues: readonly ConfigIssue[];

  constructor(message: string, options: ConfigErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    if (options.file !== undefined) this.file = options.file;
    if (options.line !== undefined) this.line = options.line;
    if (options.column !== undefined) this.column = options.column;
    if (options.path !== undefined) this.path = options.path;
    if (options.variable !== undefined) this.variable = options.variable;
    this.issues = options.issues ?? [{ ...stripUndefined(options), message }];
  }

  /** One error from collected issues; the message lists them all (first one first). */
  static fromIssues(issues: readonly ConfigIssue[]): ConfigError {
    const [first, ...rest] = issues;
    if (!first) throw new Error('ConfigError.fromIssues needs at least one issue');
    const more = rest.length > 0 ? `\n\n${rest.map((i) => i.message).join('\n\n')}` : '';
    const { message: _message, ...fields } = first;
    return new ConfigError(first.message + more, { ...fields, issues });
  }
}

function stripUndefined(options: ConfigErrorOptions): Omit<ConfigIssue, 'message'> {
  const out: Record<string, unknown> = {};
  for (const key of ['code', 'file', 'line', 'column', 'path', 'variable'] as const) {
    if (options[key] !== undefined) out[key] = options[key];
  }
  return out as unknown as Omit<ConfigIssue, 'message'>;
}

/** 1-based line and column of `offset` in `text` (CRLF counts as one line break). */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The source line containing `offset` (without its line break) and where it starts. */
function lineAt(text: string, offset: number): { text: string; start: number } {
  const start = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  let end = text.indexOf('\n', offset);
  if (end === -1) end = text.length;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return { text: text.slice(start, end), start };
}

export interface ExcerptOptions {
  readonly text: string;
  readonly offset: number;
  /** Replace this many characters at `offset` with `***` (a secret value of any type). */
  readonly maskLength?: number;
  readonly mask?: (text: string) => string;
}

const MAX_SHOWN = 160;
const SHOWN_BEFORE = 60;

/** `  7 |     "Period": "10 min",` and a caret line under the offset. */
export function excerpt(options: ExcerptOptions): { line: number; column: number; shown: string } {
  const { text, offset } = options;
  const { line, column } = lineAndColumn(text, offset);
  const source = lineAt(text, offset);
  let shownLine = source.text;
  const col = offset - source.start;
  if (options.maskLength !== undefined && options.maskLength > 0) {
    const end = Math.min(shownLine.length, col + options.maskLength);
    shownLine = `${shownLine.slice(0, col)}***${shownLine.slice(end)}`;
  }
  if (options.mask) shownLine = options.mask(shownLine);
  let caret = col;
  // A minified or generated file can be one line of megabytes; show the part around the column.
  if (shownLine.length > MAX_SHOWN) {
    const start = Math.max(0, Math.min(col - SHOWN_BEFORE, shownLine.length - MAX_SHOWN));
    const end = Math.min(shownLine.length, start + MAX_SHOWN);
    const head = start > 0 ? '…' : '';
    shownLine = `${head}${shownLine.slice(start, end)}${end < shownLine.length ? '…' : ''}`;
    caret = col - start + head.length;
  }
  // Tabs would misplace the caret; the shown line keeps them, the gutter under it copies them.
  const pad = shownLine.slice(0, caret).replace(/[^\t]/g, ' ');
  const gutter = `  ${String(line)} | `;
  const shown = `${gutter}${shownLine}\n${' '.repeat(gutter.length)}${pad}^`;
  return { line, column, shown };
}

/** Renders an issue located in a file. */
export function fileIssue(
  code: ConfigErrorCode,
  file: string,
  path: string | undefined,
  problem: string,
  where: ExcerptOptions,
): ConfigIssue {
  const { line, column, shown } = excerpt(where);
  const label = path ? ` ${path}:` : '';
  const message = `${file}:${line}:${column}${label} ${problem}\n${shown}`;
  return path === undefined ? { code, message, file, line, column } : { code, message, file, line, column, path };
}
