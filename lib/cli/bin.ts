#!/usr/bin/env node
/**
 * The package's bin. Kept to the process plumbing; the logic is in main.ts so tests and the
 * programmatic API run the same code.
 */
import { runCli } from './main.js';

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
