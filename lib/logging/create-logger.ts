/**
 * `createLogger(config.Logging)`: a winston logger writing JSON lines to daily files and to the
 * console, with ASP.NET Core category levels, the request's trace ID on every line, redaction,
 * and hot level changes through `reconfigure()`.
 */
import winston from 'winston';
import Transport from 'winston-transport';
import type { LoggingConfig } from '../config/index.js';
import {
  ERROR,
  getRequestContext,
  INFORMATION,
  LOG_LEVELS as LEVEL_NAMES,
  OptionKit,
  serializeError,
  silentSink,
  WARNING,
  type SecretPolicy,
  type KeysEnum,
  type LogLevelName,
  type LogSink,
} from '../core/index.js';
import { createCategoryLogger, type CategoryLogger, type CategoryState } from './category-logger.js';
import { humanFormat, LEVEL, MESSAGE, PARTS } from './console-format.js';
import { createFileTarget, type FileTarget } from './file-transport.js';
import { compileLevels, WINSTON_LEVELS, WINSTON_NAME, type LevelRules } from './level-rules.js';
import { normalizeLogging } from './logging-options.js';
import { reportOnce } from './report-once.js';
import { createSerializer, type LineSerializer } from './serialize.js';

/** Options for {@link createLogger}. */
export type CreateLoggerOptions = Readonly<{
  /**
   * The secret policy applied to every line: `config.secretPolicy()`, or a list of secret values
   * (`config.secretValues()`) to build one from. The key rules (`Password`, `Authorization`, …) apply
   * either way. Defaults to the key rules alone.
   */
  secrets?: SecretPolicy | readonly string[];
  /** Category of the root logger's own lines. Defaults to `App`. */
  category?: string;
  /**
   * Writes every line to this logger (e.g. your pino or console) instead of log files and the
   * console: `sink.info(message, { category, traceId, ...meta })`, secrets masked. The `Logging`
   * levels still decide what is written. Defaults to none (files and console from `Logging`).
   */
  sink?: LogSink;
  /**
   * Called with the number of lines that did not reach a destination they were meant for: written
   * after close(), meant for a log file that cannot be written (missing folder, disk full, a failed
   * write), or failing to serialize. The guard counts them in `api_guard_log_lines_dropped_total`.
   * Must not throw. Defaults to none (the first problem of each kind is still reported on stderr).
   */
  onDropped?: (count: number) => void;
}>;

/** The logger the guard and the host app share. */
export interface GuardLogger extends CategoryLogger {
  /** A logger for `name`; its level is the most specific `Logging.LogLevel` prefix match. */
  forCategory(name: string): CategoryLogger;
  /**
   * Applies a changed `Logging` section (levels, console, directory) and logs what changed; with
   * `secrets`, lines from now on use that policy (the reloaded `config.secretPolicy()`).
   */
  reconfigure(logging: Partial<LoggingConfig>, secrets?: SecretPolicy | readonly string[]): void;
  /** Stops accepting lines and resolves once the files hold everything written. */
  close(): Promise<void>;
  /** The underlying winston logger (levels: critical, error, warning, information, debug, trace). */
  readonly winston: winston.Logger;
}

type Meta = Readonly<Record<string, unknown>>;

const OPTION_KEYS: KeysEnum<CreateLoggerOptions> = { secrets: true, category: true, sink: true, onDropped: true };
const kit: OptionKit = new OptionKit({ name: 'createLogger', code: 'LOGGING', docs: 'logging.md' });

const noop = (): void => {};

// Keeps winston quiet ("no transports") when neither console nor file is available.
class NullTransport extends Transport {
  override log(_info: unknown, callback: () => void): void {
    callback();
  }
}

let stdoutGuarded = false;

/**
 * A closed stdout (the reader of a pipe exited, a log shipper restarted) makes process.stdout emit
 * EPIPE; with no listener that 'error' event would crash the host app. Console lines are then lost,
 * said once on stderr, and the file log carries on.
 */
function guardStdout(): void {
  if (stdoutGuarded) return;
  stdoutGuarded = true;
  process.stdout.on('error', (error: Error) => reportOnce('console', `console logging stopped: ${error.message}`));
}

/**
 * The trace ID (and OpenTelemetry span ID) a line carries: a string `traceId`/`spanId` in its meta
 * (the request logger captures them, since it writes outside the request's context), else the
 * request context's.
 */
function traceOf(meta: Meta | undefined): { traceId: string | undefined; spanId: string | undefined } {
  const context = getRequestContext();
  const metaTrace = meta?.traceId;
  if (typeof metaTrace !== 'string') return { traceId: context?.traceId, spanId: context?.spanId };
  const metaSpan = meta?.spanId;
  return { traceId: metaTrace, spanId: typeof metaSpan === 'string' ? metaSpan : context?.traceId === metaTrace ? context.spanId : undefined };
}

/** Builds the logger; throws OptionsError (code ERR_LOG_LEVEL / ERR_LOGGING_OPTIONS) for bad settings. */
export function createLogger(logging?: Partial<LoggingConfig>, options: CreateLoggerOptions = {}): GuardLogger {
  const given = kit.object(options, OPTION_KEYS);
  const policy = kit.secrets(given.secrets, 'secrets');
  kit.string(given.category, 'App', 'category');
  const sink = given.sink === undefined ? undefined : kit.sink(given.sink, silentSink, 'sink');
  const hook = kit.func<(count: number) => void>(given.onDropped, 'onDropped');
  const dropped = (count: number): void => {
    if (hook === undefined || count <= 0) return;
    try {
      hook(count);
    } catch {
      // A counter that throws must not turn a lost log line into a failed request.
    }
  };
  let config = normalizeLogging(logging);
  let rules: LevelRules = compileLevels(config.LogLevel, config.DetailedTrace);
  let serializer: LineSerializer = createSerializer(policy);
  const humanConsole = process.stdout.isTTY === true;
  const rootCategory = options.category ?? 'App';
  let closed = false;

  // Lines we build arrive with MESSAGE set; this only formats lines a host writes to `.winston` directly.
  const passThroughOrBuild = winston.format((info) => {
    const record = info as unknown as Record<string | symbol, unknown>;
    if (record[MESSAGE] === undefined) {
      const { level, message, ...meta } = info;
      const index = LEVEL_NAMES.findIndex((name) => name.toLowerCase() === level);
      const built = build(index === -1 ? INFORMATION : index, rootCategory, String(message), meta);
      for (const key of Reflect.ownKeys(built)) record[key] = built[key];
    }
    return info;
  });

  const logger = winston.createLogger({
    levels: { ...WINSTON_LEVELS },
    level: 'trace',
    format: passThroughOrBuild(),
    exitOnError: false,
  });
  logger.on('error', (error: unknown) => reportOnce('winston', `logging failed: ${error instanceof Error ? error.message : String(error)}`));

  let file: FileTarget | undefined;
  let consoleTransport: winston.transport | undefined;
  let nullTransport: winston.transport | undefined;

  const syncTransports = (): void => {
    if (config.Console && consoleTransport === undefined) {
      guardStdout();
      consoleTransport = new winston.transports.Console(humanConsole ? { format: humanFormat() } : {});
      logger.add(consoleTransport);
    } else if (!config.Console && consoleTransport !== undefined) {
      logger.remove(consoleTransport);
      consoleTransport = undefined;
    }
    const none = file === undefined && consoleTransport === undefined;
    if (none && nullTransport === undefined) {
      nullTransport = new NullTransport();
      logger.add(nullTransport);
    } else if (!none && nullTransport !== undefined) {
      logger.remove(nullTransport);
      nullTransport = undefined;
    }
  };

  let fileTransport: unknown;
  let fileLog: (info: unknown, callback: () => void) => void = (_info, callback) => callback();
  const openFile = (): void => {
    file = createFileTarget(config, dropped);
    fileTransport = file?.transport;
    if (file !== undefined) {
      const transport = file.transport as unknown as { log(info: unknown, callback: () => void): void };
      fileLog = transport.log.bind(transport);
      logger.add(file.transport);
    }
  };
  if (sink === undefined) {
    openFile();
    syncTransports();
  } else {
    logger.add(new NullTransport());
  }

  // Lines come in bursts (a dozen per millisecond under load); formatting the same instant again
  // is a measurable share of a line, so the last millisecond's text is reused.
  let stampMs = -1;
  let stampText = '';
  const timestamp = (): string => {
    const now = Date.now();
    if (now !== stampMs) {
      stampMs = now;
      stampText = new Date(now).toISOString();
    }
    return stampText;
  };

  // The record winston and our transports read: the finished line under MESSAGE, and the parts
  // for the terminal format when that is in use.
  function build(level: number, category: string, message: string, meta: Meta | undefined): Record<string | symbol, unknown> {
    const { traceId, spanId } = traceOf(meta);
    const parts = {
      timestamp: timestamp(),
      level: LEVEL_NAMES[level] as string,
      category,
      message: serializer.mask(message),
      traceId,
      spanId,
    };
    const { line, metaJson } = serializer.line(parts, meta);
    const winstonLevel = WINSTON_NAME[level];
    return {
      level: winstonLevel,
      message: parts.message,
      [LEVEL]: winstonLevel,
      [MESSAGE]: line,
      [PARTS]: humanConsole && consoleTransport !== undefined ? { ...parts, metaJson } : undefined,
    };
  }

  // The host's own logger gets the masked message and a masked copy of the meta (the JSON line's members).
  const toSink = (level: number, category: string, message: string, meta: Meta | undefined, target: LogSink): void => {
    const { traceId, spanId } = traceOf(meta);
    const { metaJson } = serializer.line({ timestamp: '', level: '', category, message: '', traceId }, meta);
    const fields = metaJson === '' ? {} : (JSON.parse('{' + metaJson.slice(1) + '}') as Record<string, unknown>);
    const method = level >= ERROR ? target.error : level === WARNING ? target.warn : level === INFORMATION ? target.info : target.debug;
    method.call(target, serializer.mask(message), {
      category,
      ...(traceId === undefined ? {} : { traceId }),
      ...(spanId === undefined ? {} : { spanId }),
      ...fields,
    });
  };

  // `log.error(err)` passes an error as the message: its allow-listed message, never its toString().
  const textOf = (message: unknown): string =>
    typeof message === 'string' ? message : message !== null && typeof message === 'object' ? serializeError(message).message : String(message);

  const emit = (level: number, category: string, message: string, meta: Meta | undefined): void => {
    if (closed) return dropped(1);
    try {
      if (sink !== undefined) return toSink(level, category, textOf(message), meta, sink);
      const record = build(level, category, textOf(message), meta);
      if (logger.silent) return;
      // No file target: the folder could not be created or opened (reported once on stderr).
      if (file === undefined) dropped(1);
      // Our lines are already formatted and filtered, so they skip winston's own stream (a
      // Transform piped into every transport): the file transport is called directly, the
      // others (console, any the host added to `.winston`) are written to as winston would.
      for (const target of logger.transports) {
        if (target === fileTransport) fileLog(record, noop);
        else target.write(record);
      }
    } catch (error) {
      dropped(1);
      reportOnce('emit', `a log line could not be written: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const states = new Map<string, CategoryState>();
  const categories = new Map<string, CategoryLogger>();
  const forCategory = (name: string): CategoryLogger => {
    let found = categories.get(name);
    if (found === undefined) {
      const state: CategoryState = { min: rules.minimumFor(name) };
      states.set(name, state);
      found = createCategoryLogger(name, state, emit);
      categories.set(name, found);
    }
    return found;
  };

  const root = forCategory(rootCategory);

  const reconfigure = (next: Partial<LoggingConfig>, secrets?: readonly string[]): void => {
    if (closed) return;
    const nextConfig = normalizeLogging(next);
    const nextRules = compileLevels(nextConfig.LogLevel, nextConfig.DetailedTrace);
    const previous = { LogLevel: rules.table, DetailedTrace: rules.detailedTrace };
    const fileChanged =
      nextConfig.Directory !== config.Directory ||
      nextConfig.File.MaxSize !== config.File.MaxSize ||
      nextConfig.File.MaxFiles !== config.File.MaxFiles;
    // A folder that could not be written before may have been fixed: try it again.
    const reopen = sink === undefined && (fileChanged || file === undefined || file.broken);
    if (secrets !== undefined) serializer = createSerializer(kit.secrets(secrets, 'secrets'));
    config = nextConfig;
    rules = nextRules;
    for (const [name, state] of states) state.min = rules.minimumFor(name);
    if (reopen) {
      const old = file;
      if (old !== undefined) logger.remove(old.transport);
      openFile();
      void old?.close();
    }
    if (sink === undefined) syncTransports();

    const current = { LogLevel: rules.table, DetailedTrace: rules.detailedTrace };
    const changes = describeChanges(previous, current);
    // Written whatever the levels are: an operator who changed them needs to see it took effect.
    if (changes.length > 0) emit(INFORMATION, 'Logging', `Log levels changed: ${changes.join('; ')}`, { previous, current });
    if (fileChanged) emit(INFORMATION, 'Logging', `Log files now written to ${config.Directory}`, { directory: config.Directory });
  };

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    const pending = file?.close();
    await pending;
    logger.close();
  };

  return Object.freeze({ ...root, forCategory, reconfigure, close, winston: logger });
}

function describeChanges(
  previous: { LogLevel: Readonly<Record<string, LogLevelName>>; DetailedTrace: boolean },
  current: { LogLevel: Readonly<Record<string, LogLevelName>>; DetailedTrace: boolean },
): string[] {
  const changes: string[] = [];
  const names = new Set([...Object.keys(previous.LogLevel), ...Object.keys(current.LogLevel)]);
  for (const name of names) {
    const before = previous.LogLevel[name];
    const after = current.LogLevel[name];
    if (before !== after) changes.push(`${name} ${before ?? '(unset)'} → ${after ?? '(unset)'}`);
  }
  if (previous.DetailedTrace !== current.DetailedTrace) {
    changes.push(`DetailedTrace ${String(previous.DetailedTrace)} → ${String(current.DetailedTrace)}`);
  }
  return changes;
}
