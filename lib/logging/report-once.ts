/**
 * Problems in the logging system itself (directory not writable, disk full) go to stderr once per
 * kind, never as an exception: a broken log must not take down the API or fail a request.
 */
const reported = new Set<string>();

/** Writes `message` to stderr the first time `key` is seen in this process. */
export function reportOnce(key: string, message: string): void {
  if (reported.has(key)) return;
  reported.add(key);
  try {
    process.stderr.write(`express-api-guard: ${message}\n`);
  } catch {
    // stderr itself is gone; there is nowhere left to report to.
  }
}
