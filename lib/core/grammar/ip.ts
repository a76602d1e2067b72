/** IP addresses and CIDR ranges (IPv4 and IPv6), as whitelists and per-client policies write them. */
import { isIP } from 'node:net';
import { ok, problem, type Parsed } from './parsed.js';

export interface IpRange {
  readonly address: string;
  readonly family: 4 | 6;
  /** Prefix length; the full length (32 or 128) for a single address. */
  readonly prefix: number;
  /** True when written without a prefix. */
  readonly single: boolean;
}

export const IP_HINT = 'use an IP address or CIDR range (e.g. "203.0.113.7", "10.0.0.0/8", "2001:db8::/32")';

export function parseIpRange(text: unknown): Parsed<IpRange> {
  if (typeof text !== 'string') return problem(`is not an IP address or CIDR range; ${IP_HINT}`);
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const address = slash === -1 ? trimmed : trimmed.slice(0, slash);
  const family = isIP(address) as 0 | 4 | 6;
  if (family === 0) return problem(`is not an IP address or CIDR range; ${IP_HINT}`);
  const max = family === 4 ? 32 : 128;
  if (slash === -1) return ok({ address, family, prefix: max, single: true });
  const prefixText = trimmed.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) {
    return problem(`has prefix length "${prefixText}"; an IPv${family} prefix is a whole number from 0 to ${max}`);
  }
  return ok({ address, family, prefix: Number(prefixText), single: false });
}
