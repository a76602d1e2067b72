/**
 * Client keys: who a request counts against. API keys are hashed (SHA-256, base64url) before they
 * reach a store, so Redis and memory dumps never hold a usable credential.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { Request } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { parseClientKey, requestIp } from '../core/index.js';
import { kit } from './kit.js';

export type ClientKeyFunction = (req: Request) => string;

/** Small bounded memo: hashing and IPv6 subnetting are the costly parts, and clients repeat. */
class Memo {
  private readonly map = new Map<string, string>();
  constructor(private readonly compute: (input: string) => string) {}
  get(input: string): string {
    let value = this.map.get(input);
    if (value === undefined) {
      value = this.compute(input);
      if (this.map.size >= 4096) this.map.clear();
      this.map.set(input, value);
    }
    return value;
  }
}

/** What a hashed header value's key starts with; an address never does. */
const HASHED = 'key:';

export function hashClientKey(value: string): string {
  return HASHED + createHash('sha256').update(value).digest('base64url');
}

const ipv6Keys = new Memo((ip) => ipKeyGenerator(ip));

/** The IP key of an address: IPv4 as is, IPv6 as its /56 network, IPv4-mapped IPv6 as IPv4. */
export function ipKey(ip: string): string {
  return ip.indexOf(':') === -1 ? ip : ipv6Keys.get(ip);
}

// The client address as Express's "trust proxy" decides it; 'unknown' keeps requests without one together.
function clientIp(req: Request): string {
  return requestIp(req) ?? 'unknown';
}

export interface ClientKeyResolver {
  /** The key for a request. */
  readonly key: (req: Request) => string;
  /** Turns a whitelist entry into the key it should match. */
  readonly whitelistKey: (entry: string) => string;
  /** `ip`, `header` or `function`: whether a client can be identified by a value besides its address. */
  readonly kind: 'ip' | 'header' | 'function';
  /**
   * The key a client ID counts under, given as a request carries it (an address, or the header's or
   * function's value), and the address when the ID is one. Undefined when the ID cannot be a client
   * (a value while clients are keyed by address).
   */
  readonly idKey: (id: string) => { readonly key: string; readonly ip: string | undefined } | undefined;
  /** True when this request's key is its address's (it carried no header, or the function gave nothing). */
  readonly byIp: (req: Request, key: string) => boolean;
  /**
   * How policies look a value-keyed client up: the form of a request key that {@link digestKey}
   * produces from the SHA-256 hex of the value (header keys are hashed already; function values are
   * hashed here).
   */
  readonly lookupKey: (key: string) => string;
  readonly digestKey: (sha256Hex: string) => string;
}

/** SHA-256 of a value in hex: what a policy's `ClientSha256` holds. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function addressKey(id: string): { key: string; ip: string } | undefined {
  return isIP(id) === 0 ? undefined : { key: ipKey(id), ip: id };
}

export function clientKeyResolver(spec: unknown, path: string): ClientKeyResolver {
  if (typeof spec === 'function') {
    const custom = spec as ClientKeyFunction;
    const digests = new Memo(sha256Hex);
    return {
      key: (req) => {
        const value = custom(req);
        return typeof value === 'string' && value !== '' ? value : ipKey(clientIp(req));
      },
      whitelistKey: (entry) => entry,
      kind: 'function',
      idKey: (id) => addressKey(id) ?? { key: id, ip: undefined },
      byIp: (req, key) => key === ipKey(clientIp(req)),
      lookupKey: (key) => digests.get(key),
      digestKey: (hex) => hex,
    };
  }
  const parsed = kit.parsed(spec, parseClientKey(spec ?? 'ip'), 'CLIENT_KEY', path);
  if (parsed.kind === 'ip') {
    return {
      key: (req) => ipKey(clientIp(req)),
      whitelistKey: (entry) => ipKey(entry),
      kind: 'ip',
      idKey: addressKey,
      byIp: () => true,
      lookupKey: (key) => key,
      digestKey: (hex) => hex,
    };
  }
  const header = parsed.header.toLowerCase();
  const hashes = new Memo(hashClientKey);
  return {
    key: (req) => {
      const raw = req.headers[header];
      const value = typeof raw === 'string' ? raw : raw?.[0];
      return value !== undefined && value !== '' ? hashes.get(value) : ipKey(clientIp(req));
    },
    whitelistKey: hashClientKey,
    kind: 'header',
    idKey: (id) => addressKey(id) ?? { key: hashClientKey(id), ip: undefined },
    byIp: (_req, key) => !key.startsWith(HASHED),
    lookupKey: (key) => key,
    // The same SHA-256 the request's key holds, in the key's spelling (base64url after "key:").
    digestKey: (hex) => HASHED + Buffer.from(hex, 'hex').toString('base64url'),
  };
}
