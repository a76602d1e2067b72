/**
 * What Express's "trust proxy" setting means for one request, read cheaply. With the setting off
 * (Express's default) `req.ip` is the socket's address and `req.secure` is the socket's TLS state,
 * yet their getters still parse X-Forwarded-* headers on every call — a visible share of the guard's
 * per-request cost. Any other setting, or a value a middleware set on the request, goes through
 * Express's getters as before.
 */
import type { TLSSocket } from 'node:tls';
import type { Request } from 'express';

/** True when Express trusts no proxy for this request and `own` was not set on the request itself. */
function socketDecides(req: Request, own: 'ip' | 'secure'): boolean {
  const app = req.app as { get?: (setting: string) => unknown } | undefined;
  return typeof app?.get === 'function' && app.get('trust proxy') === false && !Object.prototype.hasOwnProperty.call(req, own);
}

/** `req.ip` (honouring "trust proxy"), or the socket's address outside Express. */
export function requestIp(req: Request): string | undefined {
  if (socketDecides(req, 'ip')) return req.socket?.remoteAddress;
  return req.ip ?? req.socket?.remoteAddress;
}

/** `req.secure` (honouring "trust proxy"), or the socket's TLS state outside Express. */
export function requestIsSecure(req: Request): boolean {
  if (!socketDecides(req, 'secure') && typeof req.secure === 'boolean') return req.secure;
  return (req.socket as TLSSocket | undefined)?.encrypted === true;
}
