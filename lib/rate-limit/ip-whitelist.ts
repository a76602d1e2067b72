/** IP whitelist over node's BlockList: single addresses and CIDR ranges, IPv4 and IPv6. */
import { BlockList, isIP } from 'node:net';
import { RateLimitOptionsError } from './errors.js';

export class IpWhitelist {
  private readonly list = new BlockList();

  constructor(entries: readonly unknown[], path: string) {
    entries.forEach((entry, index) => this.add(entry, `${path}[${index}]`));
  }

  /** True when the address (as express reports it, possibly `::ffff:1.2.3.4`) is whitelisted. */
  has(address: string): boolean {
    if (address.startsWith('::ffff:') && address.includes('.')) return this.list.check(address.slice(7), 'ipv4');
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }

  private add(entry: unknown, where: string): void {
    const text = typeof entry === 'string' ? entry.trim() : '';
    const slash = text.indexOf('/');
    const address = slash === -1 ? text : text.slice(0, slash);
    const family = isIP(address);
    if (family === 0) {
      throw new RateLimitOptionsError(
        'ERR_RATE_LIMIT_IP_WHITELIST',
        where,
        `${JSON.stringify(entry)} is not an IP address or CIDR range; write e.g. "203.0.113.7", "10.0.0.0/8" or "2001:db8::/32".`,
      );
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (slash === -1) {
      this.list.addAddress(address, type);
      return;
    }
    const prefixText = text.slice(slash + 1);
    const prefix = Number(prefixText);
    const max = family === 4 ? 32 : 128;
    if (!/^\d+$/.test(prefixText) || prefix > max) {
      throw new RateLimitOptionsError(
        'ERR_RATE_LIMIT_IP_WHITELIST',
        where,
        `"${text}" has prefix length "${prefixText}"; an IPv${family} prefix is a whole number from 0 to ${max}.`,
      );
    }
    this.list.addSubnet(address, prefix, type);
  }
}
