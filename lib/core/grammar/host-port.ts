/** `host:port` addresses, as Redis Cluster seed nodes and Sentinels are written (IPv6 in brackets). */
import { isIP } from 'node:net';
import { ok, problem, type Parsed } from './parsed.js';

export const HOST_PORT_HINT = 'use "host:port", e.g. "10.0.0.5:6379", "redis-1.internal:7000" or "[::1]:26379"';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export function parseHostPort(text: unknown): Parsed<HostPort> {
  const match = typeof text === 'string' ? /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text.trim()) : null;
  const host = match?.[1] ?? match?.[2] ?? '';
  const port = Number(match?.[3]);
  if (match === null || port < 1 || port > 65535 || (match[1] !== undefined && isIP(host) !== 6)) {
    return problem(`is not a host and port; ${HOST_PORT_HINT}`);
  }
  return ok({ host, port });
}
