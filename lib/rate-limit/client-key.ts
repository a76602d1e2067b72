/**
 * Client keys: who a request counts against. API keys are hashed (SHA-256, base64url) before they
 * reach a store, so Redis and memory dumps never hold a usable credential.
 */
import { createHash } from 'node:crypto';
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

export function hashClientKey(value: string): string {
  return 'key:' + createHash('sha256').update(value).digest('base64url');
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
}

export function clientKeyResolver(spec: unknown, path: string): ClientKeyResolver {
  if (typeof spec === 'function') {
    const custom = spec as ClientKeyFunction;
    return {
      key: (req) => {
        const value = custom(req);
        return typeof value === 'string' && value !== '' ? value : ipKey(clientIp(req));
      },
      whitelistKey: (entry) => entry,
    };
  }
  const parsed = kit.parsed(spec, parseClientKey(spec ?? 'ip'), 'CLIENT_KEY', path);
  if (parsed.kind === 'ip') {
    return { key: (req) => ipKey(clientIp(req)), whitelistKey: (entry) => ipKey(entry) };
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
  };
}
