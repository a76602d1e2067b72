/**
 * Parsers and checks for the small value languages used in config (periods, endpoints, sizes,
 * client keys, log levels). Shared by the schema, the IpRateLimiting translation and rate-limit.
 */
import { isIP } from 'node:net';
import { ConfigError } from './errors.js';
import type { LogLevelName } from './types.js';

const PERIOD = /^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$/i;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export const PERIOD_HINT = 'use a number followed by s, m, h or d (e.g. "10m")';

/**
 * Milliseconds in `<n><s|m|h|d>`, or undefined when the text is not one. Whole seconds only, at least
 * one, because rate-limit headers carry seconds. The one grammar for config and lib/rate-limit.
 */
export function periodMs(text: unknown): number | undefined {
  const match = typeof text === 'string' ? PERIOD.exec(text) : null;
  if (!match) return undefined;
  const unit = (match[2] ?? 's').toLowerCase() as keyof typeof UNIT_MS;
  const ms = Math.round(Number(match[1]) * UNIT_MS[unit]);
  return Number.isFinite(ms) && ms >= 1000 && ms % 1000 === 0 ? ms : undefined;
}

/** True for `<n><s|m|h|d>` of at least one whole second, e.g. `1s`, `10m`, `1.5h`, `1d`. */
export function isPeriod(text: unknown): text is string {
  return periodMs(text) !== undefined;
}

/** Milliseconds in a period such as `10m`. Throws ConfigError (code INVALID_PERIOD) otherwise. */
export function parsePeriod(text: string): number {
  const ms = periodMs(text);
  if (ms === undefined) {
    throw new ConfigError(`${JSON.stringify(text)} is not a period; ${PERIOD_HINT}`, { code: 'INVALID_PERIOD' });
  }
  return ms;
}

/** Canonical form of a period (`10M ` → `10m`), or the input when it is not one. */
export function normalizePeriod(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  const match = PERIOD.exec(text);
  return match ? `${match[1]}${(match[2] ?? '').toLowerCase()}` : text;
}

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT'] as const;

export const ENDPOINT_HINT =
  'use "*" or "<methods>:<path>", methods comma-separated or "*" (e.g. "post,put,delete:*" or "get:/api/v2/tickets/*")';

/** A parsed endpoint pattern: `methods` is undefined for any method. */
export interface EndpointPattern {
  readonly methods: readonly string[] | undefined;
  readonly path: string;
}

/** Parses `*`, `<methods>:<glob>` (methods comma-listed or `*`); undefined when malformed. */
export function parseEndpoint(text: string): EndpointPattern | undefined {
  const trimmed = text.trim();
  if (trimmed === '*') return { methods: undefined, path: '*' };
  const colon = trimmed.indexOf(':');
  if (colon <= 0) return undefined;
  const methodPart = trimmed.slice(0, colon).trim();
  const path = trimmed.slice(colon + 1).trim();
  if (path !== '*' && !path.startsWith('/') && !path.startsWith('*')) return undefined;
  if (/\s/.test(path)) return undefined;
  if (methodPart === '*') return { methods: undefined, path };
  const methods = methodPart.split(',').map((m) => m.trim().toUpperCase());
  if (methods.some((m) => !(HTTP_METHODS as readonly string[]).includes(m))) return undefined;
  return { methods, path };
}

/** `20m`, `1g`, `500k`, `0.5g`: a number with a unit, as winston-daily-rotate-file takes. */
export function isFileSize(text: unknown): boolean {
  // Exactly what file-stream-rotator (under winston-daily-rotate-file) and createLogger accept: a unit
  // is required. A bare byte count used to pass here and then made createApiGuard fail at startup.
  return typeof text === 'string' && /^(?:0\.)?\d+[kmg]$/i.test(text.trim());
}

/** `14d` (days) or a file count. */
export function isMaxFiles(text: unknown): boolean {
  return (typeof text === 'string' && /^[1-9]\d*d?$/i.test(text.trim())) || (typeof text === 'number' && Number.isInteger(text) && text > 0);
}

// RFC 9110 token characters: what a header name may contain.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** `ip` or `header:<Header-Name>`, normalized (`IP` → `ip`); undefined when malformed. */
export function normalizeClientKey(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'ip') return 'ip';
  const match = /^header:(.+)$/i.exec(trimmed);
  if (match && TOKEN.test(match[1] ?? '')) return `header:${match[1] ?? ''}`;
  return undefined;
}

export const LOG_LEVELS: readonly LogLevelName[] = ['Trace', 'Debug', 'Information', 'Warning', 'Error', 'Critical', 'None'];

/** ASP.NET level name matched case-insensitively (`warning` → `Warning`); undefined when unknown. */
export function normalizeLogLevel(text: string): LogLevelName | undefined {
  const lower = text.trim().toLowerCase();
  return LOG_LEVELS.find((level) => level.toLowerCase() === lower);
}

/** An IP address or CIDR block (`10.0.0.0/8`, `::1/128`). */
export function isIpOrCidr(text: string): boolean {
  const [address = '', prefix, extra] = text.trim().split('/');
  if (extra !== undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d+$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

export const HOST_PORT_HINT = 'use "host:port", e.g. "10.0.0.5:6379", "redis-1.internal:7000" or "[::1]:26379"';

/** `host:port` (IPv6 in brackets); undefined when it is not one. */
export function parseHostPort(text: unknown): { host: string; port: number } | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text.trim());
  if (match === null) return undefined;
  const host = match[1] ?? match[2] ?? '';
  const port = Number(match[3]);
  if (port < 1 || port > 65535 || (match[1] !== undefined && isIP(host) !== 6)) return undefined;
  return { host, port };
}

export { closest } from './closest.js';
