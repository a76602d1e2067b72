#!/usr/bin/env node
/**
 * The package's bin. Kept to the process plumbing; the logic is in main.ts so tests and the
 * programmatic API run the same code.
 */
import { runCli } from './main.js';

// `express-api-guard doctor | head -1`: the reader has gone, so the rest of the output has nowhere to
// go. That is not a failure to report; without a listener it would crash with an EPIPE stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw error;
  });
}

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // A client library that leaves a socket open must not keep `doctor` from returning to the shell.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (err: unknown) => {
    process.stderr.write(`express-api-guard: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
