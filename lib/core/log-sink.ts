/**
 * The smallest logger the middleware needs. A GuardLogger category satisfies it, and so does
 * `console`, so every middleware can be used alone without the logging folder.
 */
export interface LogSink {
  debug(message: string, meta?: Readonly<Record<string, unknown>>): void;
  info(message: string, meta?: Readonly<Record<string, unknown>>): void;
  warn(message: string, meta?: Readonly<Record<string, unknown>>): void;
  error(message: string, meta?: Readonly<Record<string, unknown>>): void;
}

/** A sink that drops everything; the default where no logger was given. */
export const silentSink: LogSink = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});
