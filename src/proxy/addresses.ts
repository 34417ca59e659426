/**
 * Peer address handling: CIDR sets (trusted proxies, mirror sources) and the
 * client address behind X-Forwarded-For, believed only from trusted peers.
 *
 * Example:
 *   const trusted = addressSet(['10.0.0.0/8', '::1']);
 *   clientFromForwarded('203.0.113.9, 10.0.0.5', trusted) // '203.0.113.9'
 */
import { BlockList, isIP } from 'node:net';

export interface AddressSet {
  has(address: string): boolean;
  readonly empty: boolean;
}

/** `::ffff:127.0.0.1` → `127.0.0.1`, so IPv4 rules match IPv4 clients on dual-stack sockets. */
export function normalizeAddress(address: string): string {
  if (address.startsWith('::ffff:') && isIP(address.slice(7)) === 4) return address.slice(7);
  return address;
}

/**
 * Builds a matcher from addresses and CIDRs (`10.0.0.0/8`, `fd00::/8`, `127.0.0.1`).
 * Throws on an entry that is neither, naming it: config validation should have caught it.
 */
export function addressSet(entries: readonly string[]): AddressSet {
  const list = new BlockList();
  for (const entry of entries) {
    const [ip = '', prefix] = entry.trim().split('/');
    const family = isIP(ip);
    if (family === 0) throw new Error(`not an IP address or CIDR: ${JSON.stringify(entry)}`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) {
      list.addAddress(ip, type);
      continue;
    }
    const bits = Number(prefix);
    if (!/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) {
      throw new Error(`bad CIDR prefix: ${JSON.stringify(entry)}`);
    }
    list.addSubnet(ip, bits, type);
  }
  const empty = entries.length === 0;
  return {
    empty,
    has(address: string): boolean {
      if (empty) return false;
      const ip = normalizeAddress(address);
      const family = isIP(ip);
      if (family === 0) return false;
      return list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/**
 * The client behind a chain of proxies: walk X-Forwarded-For from the right
 * (the hop nearest to us) and return the first address that is not a trusted
 * proxy. Entries left of it were written by the client and cannot be believed.
 * Returns undefined when the header holds no usable address.
 */
export function clientFromForwarded(header: string | string[] | undefined, trusted: AddressSet): string | undefined {
  if (!header) return undefined;
  const hops = (Array.isArray(header) ? header.join(',') : header).split(',');
  let last: string | undefined;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = stripPort(hops[i]!.trim());
    if (isIP(hop) === 0) return last;
    last = normalizeAddress(hop);
    if (!trusted.has(last)) return last;
  }
  return last;
}

/** `1.2.3.4:5678` and `[::1]:80` (allowed by some proxies in X-Forwarded-For) → the address. */
function stripPort(hop: string): string {
  if (hop.startsWith('[')) {
    const end = hop.indexOf(']');
    return end > 0 ? hop.slice(1, end) : hop;
  }
  const colon = hop.indexOf(':');
  if (colon > 0 && colon === hop.lastIndexOf(':')) return hop.slice(0, colon);
  return hop;
}
