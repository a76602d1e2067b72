/**
 * Shared by the CLI tests: run the CLI as a user would (a child process, same code as the bin),
 * build config folders in temp dirs, and hold the secrets that must never be printed.
 */
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'lib/cli/bin.ts');
const TSX = import.meta.resolve('tsx');

export const SQL_USER = 'app';
export const SQL_PASSWORD = 'Sql-Pa55word!x';
export const ENCRYPTER_KEY = 'enc-key-one-7f3a9c';
export const SIGNING_KEY = 'signing-key-b81d44e0';
export const SECRETS = [SQL_PASSWORD, ENCRYPTER_KEY, SIGNING_KEY] as const;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `express-api-guard <args>` in `cwd` with only PATH/HOME and `env` set. */
export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Fails when any secret appears in the output, however it is cased. */
export function assertNoSecrets(result: CliResult): void {
  const all = `${result.stdout}\n${result.stderr}`.toLowerCase();
  for (const secret of SECRETS) assert.ok(!all.includes(secret.toLowerCase()), `secret leaked in output:\n${result.stdout}\n${result.stderr}`);
}

/** A port nothing listens on (bound once, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'eag-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function connectionString(port: number, password = SQL_PASSWORD): string {
  return `Server=127.0.0.1,${port};Database=issuetrak;User Id=${SQL_USER};Password=${password};Encrypt=false`;
}

export interface ConfigDirOptions {
  /** appsettings.json content (object or raw text); null for no file. */
  base?: unknown;
  /** Environment file name. Defaults to `appsettings.release.json`. */
  envFileName?: string;
  /** Environment file content (object or raw text); null for no file. */
  envFile?: unknown;
}

/** The environment file of a healthy install, with the SQL stand-in's port. */
export function healthyEnvFile(sqlPort: number): Record<string, unknown> {
  return {
    ConnectionStrings: { 'Issuetrak-Databse': connectionString(sqlPort) },
    SecureStorageKeys: { 'KeyForEncrypter-1': ENCRYPTER_KEY },
    SessionSigningKey: SIGNING_KEY,
  };
}

/** The keys the example app needs, as it lists them in Doctor.RequiredKeys. */
export const ISSUETRAK_KEYS = ['ConnectionStrings:Issuetrak-Databse', 'SecureStorageKeys:KeyForEncrypter-1', 'SessionSigningKey'] as const;

export function healthyBase(dir: string): Record<string, unknown> {
  return {
    RateLimiting: { Enabled: true, Store: 'memory' },
    Logging: { LogLevel: { Default: 'Information' }, Directory: join(dir, 'logs') },
    Doctor: { RequiredKeys: ISSUETRAK_KEYS },
  };
}

/** Writes appsettings files into `dir`. */
export function writeConfig(dir: string, options: ConfigDirOptions): void {
  const write = (name: string, content: unknown): void => {
    if (content === null || content === undefined) return;
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  };
  write('appsettings.json', options.base);
  write(options.envFileName ?? 'appsettings.release.json', options.envFile);
}

/** The line of the text report for one check title. */
export function checkLine(stdout: string, title: string): string {
  const line = stdout.split('\n').find((l) => new RegExp(`^(ok|info|warn|fail)\\s+${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s`).test(l));
  assert.ok(line, `no line for ${title} in:\n${stdout}`);
  return line;
}

export const RELEASE = { ASPNETCORE_ENVIRONMENT: 'release' } as const;
