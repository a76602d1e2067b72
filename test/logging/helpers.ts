/** Shared test plumbing: temp dirs, servers on 127.0.0.1:0, reading log files, capturing stdout/stderr. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express, RequestHandler } from 'express';

export function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'guard-log-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function listen(app: Express, t: { after(fn: () => Promise<void> | void): void }): Promise<{ url: string; server: Server }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Every `api-*.log*` file's text in `dir`, concatenated. */
export function readLogText(dir: string): string {
  return readdirSync(dir)
    .filter((name) => name.startsWith('api-'))
    .sort()
    .map((name) => readFileSync(join(dir, name), 'utf8'))
    .join('');
}

export function readLogLines(dir: string): Record<string, unknown>[] {
  return readLogText(dir)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Collects what is written to `stream` until the returned stop() is called. */
export function capture(stream: NodeJS.WriteStream): { text(): string; stop(): void } {
  const original = stream.write.bind(stream);
  let out = '';
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof stream.write;
  return {
    text: () => out,
    stop: () => {
      stream.write = original;
    },
  };
}

/**
 * Counts the responses the server is done with, so a test waits for the request log lines instead of
 * sleeping. Mount it after requestLogger: its 'close' listener then runs after the logger's, when the
 * line has been handed to the logger (logger.close() writes what it was handed).
 */
export function responsesDone(): { middleware: RequestHandler; waitFor(count: number): Promise<void> } {
  let done = 0;
  const waiters: { count: number; resolve(): void }[] = [];
  const middleware: RequestHandler = (_req, res, next) => {
    res.once('close', () => {
      done += 1;
      for (const waiter of waiters.filter((w) => done >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
    next();
  };
  return {
    middleware,
    waitFor: (count) => (done >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }))),
  };
}
