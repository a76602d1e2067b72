/**
 * Shared by the integration tests: temp config dirs, a self-signed certificate, the example app on
 * port 0, and a small HTTP(S) client that never pools connections (so every server closes promptly).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXAMPLE_DIR, startServer, type RunningServer, type StartServerOptions } from '../../examples/issuetrak-style/app.js';

export const API_KEY = 'example-key-change-me';

/** Generous limits so route tests never trip them; the 429 tests set their own. */
export const RELAXED_RULES = [{ Name: 'burst', Endpoint: '*', Period: '1s', Limit: 10_000 }];

export interface ConfigDirOptions {
  /** Written as appsettings.json (the example's own file is used when absent). */
  readonly base?: object;
  /** Copy appsettings.Development.json also as appsettings.Production.json (for HTTPS in Production). */
  readonly production?: boolean;
}

/** A temp dir with the example's Development file and the given (or the example's own) base file. */
export function makeConfigDir(options: ConfigDirOptions = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'guard-it-'));
  if (options.base) writeFileSync(path.join(dir, 'appsettings.json'), JSON.stringify(options.base, null, 2));
  else copyFileSync(path.join(EXAMPLE_DIR, 'appsettings.json'), path.join(dir, 'appsettings.json'));
  copyFileSync(path.join(EXAMPLE_DIR, 'appsettings.Development.json'), path.join(dir, 'appsettings.Development.json'));
  if (options.production) copyFileSync(path.join(EXAMPLE_DIR, 'appsettings.Development.json'), path.join(dir, 'appsettings.Production.json'));
  return dir;
}

/** A base config: rules as given, logs to `<dir>/logs` only (no console noise in test output). */
export function baseConfig(rules: readonly object[] = RELAXED_RULES, extra: object = {}): object {
  return {
    RateLimiting: { Store: 'memory', Rules: rules },
    Logging: { LogLevel: { Default: 'Information' }, Directory: 'logs', Console: false },
    ...extra,
  };
}

/** Writes a self-signed certificate for localhost into `dir`; returns the two paths. */
export function makeCertificate(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'server.crt');
  const key = path.join(dir, 'server.key');
  const result = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', key, '-out', cert],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
  return { cert, key };
}

/** Starts the example on 127.0.0.1:0 with no process environment leaking in. */
export function startExample(configDir: string, options: Omit<StartServerOptions, 'configDir'> = {}): Promise<RunningServer> {
  return startServer({ port: 0, host: '127.0.0.1', env: {}, debounceMs: 50, ...options, configDir });
}

export interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  json(): any;
}

export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** An object is sent as JSON; a string or Buffer as is. */
  readonly body?: unknown;
  /** Adds X-Api-Key unless false. Defaults to true. */
  readonly auth?: boolean;
}

export function request(url: string, options: RequestOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...(options.auth === false ? {} : { 'X-Api-Key': API_KEY }), ...options.headers };
  let payload: Buffer | undefined;
  if (options.body !== undefined) {
    if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) payload = Buffer.from(options.body);
    else {
      payload = Buffer.from(JSON.stringify(options.body));
      headers['Content-Type'] ??= 'application/json';
    }
    headers['Content-Length'] = String(payload.length);
  }
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      { method: options.method ?? 'GET', headers, agent: false, rejectUnauthorized: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Every log line written under `dir` so far (all files, recursively). */
export function readLogs(dir: string): string {
  let text = '';
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const full = path.join(at, name);
      if (statSync(full).isDirectory()) walk(full);
      else text += readFileSync(full, 'utf8');
    }
  };
  try {
    walk(dir);
  } catch {
    // No logs folder yet.
  }
  return text;
}

/** Polls `check` every 25 ms until it returns true, failing after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
