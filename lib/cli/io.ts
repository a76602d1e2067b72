/**
 * What a command may touch of the outside world. The bin passes the real process; tests and
 * programmatic callers pass their own, which keeps commands free of process globals.
 */
export interface CliIo {
  /** Writes one line (a newline is added) to standard output. */
  stdout(line: string): void;
  /** Writes one line (a newline is added) to standard error. */
  stderr(line: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Epoch milliseconds; injectable for `--since`. */
  now(): number;
}

/** The real process's streams, environment, directory and clock. */
export function processIo(): CliIo {
  return {
    stdout: (line) => void process.stdout.write(`${line}\n`),
    stderr: (line) => void process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: process.cwd(),
    now: () => Date.now(),
  };
}
