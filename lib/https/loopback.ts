/**
 * Which plain-HTTP requests count as "from this machine". The socket address decides, not req.ip:
 * a request a local reverse proxy forwarded arrives on a loopback socket but may come from anywhere,
 * so any forwarding header disqualifies it.
 */
import type { Request } from 'express';

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped IPv6 forms. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1' || address === '0:0:0:0:0:0:0:1';
}

/** True when the request came straight from this machine, not through a proxy. */
export function isDirectLoopbackRequest(req: Request): boolean {
  const headers = req.headers;
  if (headers['x-forwarded-for'] !== undefined || headers.forwarded !== undefined || headers['x-forwarded-proto'] !== undefined) {
    return false;
  }
  return isLoopbackAddress(req.socket?.remoteAddress);
}
