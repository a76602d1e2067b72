/**
 * The daily file transport, made safe to fail. winston-daily-rotate-file creates the directory
 * synchronously (throws when it cannot), re-emits stream errors on an emitter nobody listens to
 * (an uncaught 'error' would kill the process) and can throw from `log()` while rotating; each of
 * those becomes one line on stderr and dropped log lines, never a crash or a failed request.
 */
import { join } from 'node:path';
import type { EventEmitter } from 'node:events';
import DailyRotateFile from 'winston-daily-rotate-file';
import type TransportStream from 'winston-transport';
import type { LoggingConfig } from '../config/index.js';
import { reportOnce } from './report-once.js';

/** The file name pattern inside `Logging.Directory`; %DATE% is YYYY-MM-DD in UTC. */
export const FILE_PATTERN = 'api-%DATE%.log';

/** A file transport plus a way to flush and close it. */
export interface FileTarget {
  readonly transport: TransportStream;
  /** True once a write failed; the lines since then were dropped. */
  readonly broken: boolean;
  /** Resolves once every line written so far is in the file (or the file is known broken). */
  close(): Promise<void>;
}

type LogCallback = () => void;
const MESSAGE = Symbol.for('message');
const FLUSH_MS = 5;
const MAX_PENDING_LINES = 1000;
interface RotatingStream extends EventEmitter {
  write(chunk: string): void;
  end(callback?: () => void): void;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Creates the transport, or returns undefined (after reporting on stderr) when it cannot.
 * `onDropped` learns how many lines were discarded because the file could not be written.
 */
export function createFileTarget(logging: LoggingConfig, onDropped: (count: number) => void = () => {}): FileTarget | undefined {
  const dir = logging.Directory;
  const problem = (error: unknown): void =>
    reportOnce(
      `file:${dir}`,
      `cannot write log files in ${dir} (${describe(error)}); log lines meant for files are dropped. ` +
        'Make Logging.Directory a writable folder (and check free disk space), then restart or save appsettings.json.',
    );

  let transport: DailyRotateFile;
  try {
    transport = new DailyRotateFile({
      dirname: dir,
      filename: FILE_PATTERN,
      datePattern: 'YYYY-MM-DD',
      utc: true,
      maxSize: logging.File.MaxSize,
      maxFiles: logging.File.MaxFiles,
      // A fixed name: the default hashes the options, leaving a new audit file per setting change.
      auditFile: join(dir, '.api-audit.json'),
      eol: '\n',
    });
  } catch (error) {
    problem(error);
    return undefined;
  }

  let broken = false;
  let onFinished: (() => void) | undefined;
  // The stream confirms no write, so when it fails the lines of the last chunk handed to it are
  // counted as lost (a folder that cannot be opened fails on the first chunk); earlier ones may be too.
  let lastChunkLines = 0;
  const stream = (transport as unknown as { logStream: RotatingStream }).logStream;
  stream.on('error', (error: unknown) => {
    if (!broken) onDropped(lastChunkLines);
    broken = true;
    problem(error);
    // A failed stream never emits 'finish'; a pending close() must not wait for it.
    onFinished?.();
  });
  transport.on('error', problem);

  // One write per few milliseconds instead of one per line: a file write is a thread-pool round
  // trip, the main cost of a log line, so under load this turns hundreds of writes into one.
  // The window is short and close() flushes it, so an orderly shutdown loses nothing.
  let pending: string[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending.length === 0) return;
    const lines = pending;
    pending = [];
    if (broken) return onDropped(lines.length);
    try {
      lastChunkLines = lines.length;
      stream.write(lines.join('\n') + '\n');
    } catch (error) {
      broken = true;
      problem(error);
      onDropped(lines.length);
    }
  };
  transport.log = function bufferedLog(info: unknown, callback: LogCallback): void {
    if (!broken) {
      pending.push(String((info as Record<symbol, unknown>)[MESSAGE]));
      if (pending.length >= MAX_PENDING_LINES) flush();
      else if (!scheduled) {
        scheduled = true;
        setTimeout(flush, FLUSH_MS);
      }
    } else {
      onDropped(1);
    }
    callback();
  };

  // Each rotation ends the previous file's stream; close() must wait for those too, not only the
  // current one, or lines written just before a rotation could still be in flight.
  let streams = 1;
  let finished = 0;
  stream.on('rotate', () => {
    streams += 1;
  });
  stream.on('finish', () => {
    finished += 1;
    if (finished >= streams) onFinished?.();
  });

  return {
    transport,
    get broken() {
      return broken;
    },
    close: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5000).unref();
        const done = (): void => {
          clearTimeout(timer);
          resolve();
        };
        try {
          flush();
          if (broken) return done();
          onFinished = done;
          stream.end();
          if (finished >= streams) done();
        } catch {
          done();
        }
      }),
  };
}
