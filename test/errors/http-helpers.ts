// Test helpers: real servers on 127.0.0.1:0 (HTTP or HTTPS with a throwaway self-signed cert),
// raw node requests that also report aborted responses, and a LogSink that records.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { LogSink } from '../../lib/core/index.js';

export interface Running {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function listen(handler: http.RequestListener, tls?: { key: string; cert: string }): Promise<Running> {
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** True when the response was cut off (socket closed before the end). */
  aborted: boolean;
  json(): any;
}

export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; path?: string } = {},
): Promise<Reply> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      {
        host: target.hostname,
        port: target.port,
        path: options.path ?? `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers: { connection: 'close', ...options.headers },
        rejectUnauthorized: false,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let aborted = false;
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('aborted', () => (aborted = true));
        const done = () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, aborted: aborted || !res.complete, json: () => JSON.parse(text) });
        };
        res.on('end', done);
        res.on('error', () => {
          aborted = true;
        });
        res.on('close', () => {
          if (!res.complete) {
            aborted = true;
            done();
          }
        });
      },
    );
    req.on('error', reject);
    // A hung response fails the test instead of stalling the suite.
    req.setTimeout(5000, () => req.destroy(new Error(`no response from ${url} within 5 s`)));
    req.end(options.body);
  });
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  meta: Record<string, any>;
}

export function recordingSink(): LogSink & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry['level']) => (message: string, meta?: Readonly<Record<string, unknown>>) => {
    entries.push({ level, message, meta: { ...(meta ?? {}) } });
  };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A self-signed localhost certificate in a temp dir, made with the system openssl. */
export function selfSignedCert(): { key: string; cert: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'api-guard-tls-'));
  const keyPath = path.join(dir, 'key.pem');
  const certPath = path.join(dir, 'cert.pem');
  const result = spawnSync(
    '/usr/bin/openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', keyPath, '-out', certPath],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
