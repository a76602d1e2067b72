/**
 * Turns a tedious failure into one of a few kinds an operator can act on, with a message that says
 * what to check. Tedious wraps socket failures as ESOCKET with the Node error as `cause` (or an
 * AggregateError of per-address errors), so the codes are collected along the cause chain.
 */
import type { SqlConnectionConfig } from '../config/index.js';

/** What went wrong, coarse enough to act on; `driver`: tedious is not installed (`npm install tedious@19`). */
export type SqlErrorKind = 'dns' | 'refused' | 'timeout' | 'tls' | 'login' | 'config' | 'driver' | 'other';

export interface SqlCheckError {
  readonly kind: SqlErrorKind;
  /** Human-readable; never contains the password. */
  readonly message: string;
}

/** Where a connection goes, without credentials (safe to show in /health and doctor output). */
export interface SqlTarget {
  readonly server: string;
  readonly port?: number;
  readonly instanceName?: string;
  readonly database?: string;
  readonly encrypt?: boolean | string;
}

export function describeTarget(config: SqlConnectionConfig): SqlTarget {
  const options = config.options ?? {};
  const port = options.port ?? (options.instanceName ? undefined : 1433);
  return {
    server: config.server,
    ...(port !== undefined ? { port } : {}),
    ...(options.instanceName ? { instanceName: options.instanceName } : {}),
    ...(options.database ? { database: options.database } : {}),
    ...(options.encrypt !== undefined ? { encrypt: options.encrypt } : {}),
  };
}

export function targetText(target: SqlTarget): string {
  if (target.instanceName && target.port === undefined) return `${target.server}\\${target.instanceName}`;
  return `${target.server}:${target.port ?? 1433}`;
}

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

function collectCodes(error: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 5 || error === null || typeof error !== 'object') return out;
  const e = error as ErrorLike;
  if (typeof e.code === 'string') out.push(e.code);
  collectCodes(e.cause, out, depth + 1);
  if (Array.isArray(e.errors)) for (const inner of e.errors) collectCodes(inner, out, depth + 1);
  return out;
}

function innermostMessage(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5; depth++) {
    const e = current as ErrorLike;
    const next = Array.isArray(e?.errors) && e.errors.length > 0 ? e.errors[0] : e?.cause;
    if (next === undefined || next === null || typeof next !== 'object') break;
    current = next;
  }
  const message = (current as ErrorLike)?.message;
  return typeof message === 'string' ? message : String(current);
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);
const TLS_CODE = /^(ERR_SSL_|ERR_TLS_|EPROTO$)|CERT|^SELF_SIGNED|^UNABLE_TO_/;

/** Classifies an error thrown or emitted by tedious during connect or the version query. */
export function classifySqlError(error: unknown, target: SqlTarget, timeoutMs: number): SqlCheckError {
  const codes = collectCodes(error);
  const top = codes[0];
  const where = targetText(target);
  const detail = innermostMessage(error);

  if (top === 'ELOGIN') {
    const message = error instanceof Error ? error.message : 'Login failed.';
    return {
      kind: 'login',
      message: `${message} Check User Id and Password in the connection string and that the login may open the database.`,
    };
  }
  if (codes.some((c) => DNS_CODES.has(c))) {
    return {
      kind: 'dns',
      message: `Cannot resolve the server name "${target.server}" (${codes.find((c) => DNS_CODES.has(c))}). Check Server= in the connection string and the host's DNS.`,
    };
  }
  if (codes.includes('ECONNREFUSED')) {
    return {
      kind: 'refused',
      message: `Connection refused by ${where}. Check that SQL Server is running and accepts TCP connections on that port (SQL Server Configuration Manager → TCP/IP) and that no firewall rejects it.`,
    };
  }
  if (top === 'EENCRYPT' || codes.some((c) => TLS_CODE.test(c))) {
    return {
      kind: 'tls',
      message: `TLS negotiation with ${where} failed: ${detail}. For a self-signed server certificate set TrustServerCertificate=true (or install the CA); set Encrypt=true when the server requires encryption.`,
    };
  }
  if (top === 'ETIMEOUT' || codes.includes('ETIMEDOUT')) {
    return {
      kind: 'timeout',
      message: `No answer from ${where} within ${timeoutMs} ms. Check the host and port, that SQL Server is up, and that no firewall silently drops the traffic.`,
    };
  }
  if (top === 'EINSTLOOKUP') {
    return {
      kind: 'other',
      message: `Cannot find the instance "${target.instanceName ?? ''}" on ${target.server}: ${detail}. Start the SQL Server Browser service or put the port in the connection string.`,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'other', message: `SQL Server check against ${where} failed: ${message}` };
}
