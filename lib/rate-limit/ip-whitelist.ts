/** IP whitelist over node's BlockList: single addresses and CIDR ranges, IPv4 and IPv6. */
import { BlockList, isIP } from 'node:net';
import { parseIpRange } from '../core/index.js';
import { kit } from './kit.js';

export class IpWhitelist {
  private readonly list = new BlockList();

  constructor(entries: readonly unknown[], path: string) {
    entries.forEach((entry, index) => {
      const range = kit.parsed(entry, parseIpRange(entry), 'IP_WHITELIST', `${path}[${index}]`);
      const type = range.family === 4 ? 'ipv4' : 'ipv6';
      if (range.single) this.list.addAddress(range.address, type);
      else this.list.addSubnet(range.address, range.prefix, type);
    });
  }

  /** True when the address (as express reports it, possibly `::ffff:1.2.3.4`) is whitelisted. */
  has(address: string): boolean {
    if (address.startsWith('::ffff:') && address.includes('.')) return this.list.check(address.slice(7), 'ipv4');
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}
