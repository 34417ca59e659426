/**
 * IPv4/IPv6 networks for @ipMatch and @ipMatchFromFile, with the forms
 * apr_ipsubnet_create accepts: full addresses, `addr/bits`, IPv4 `addr/netmask`
 * and partial IPv4 networks (`10`, `192.168`), which mean /8, /16, /24. An
 * IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) also matches IPv4 networks, as APR does.
 */

interface Network {
  readonly bytes: Uint8Array;
  readonly bits: number;
}

/** Strict dotted quad (inet_pton): four decimal parts 0-255, no leading zeros. */
export function parseIPv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] as string;
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    out[i] = Number(p);
  }
  return out;
}

/** IPv6 text form with `::` and an optional dotted IPv4 tail. */
export function parseIPv6(text: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const words = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const groups = part.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] as string;
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g);
        if (!v4) return undefined;
        out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
        out.push(Number.parseInt(g, 16));
      }
    }
    return out;
  };
  const head = words(halves[0] as string);
  const tail = halves.length === 2 ? words(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  const fill = 8 - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((w, i) => {
    out[i * 2] = w >> 8;
    out[i * 2 + 1] = w & 0xff;
  });
  return out;
}

/** Parses one network; throws Error with a message naming the entry when invalid. */
export function parseNetwork(entry: string): Network {
  const slash = entry.indexOf('/');
  const addr = slash === -1 ? entry : entry.slice(0, slash);
  const mask = slash === -1 ? undefined : entry.slice(slash + 1);
  if (addr.includes(':')) {
    const bytes = parseIPv6(addr);
    const bits = mask === undefined ? 128 : /^\d{1,3}$/.test(mask) ? Number(mask) : NaN;
    if (!bytes || !(bits >= 0 && bits <= 128)) throw new Error(`invalid IPv6 network "${entry}"`);
    // APR refuses IPv4-mapped networks; reading them as the IPv4 network they denote is kinder and exact.
    if (isMapped(bytes) && bits >= 96) return { bytes: bytes.slice(12), bits: bits - 96 };
    return { bytes, bits };
  }
  let bytes = parseIPv4(addr);
  let bits = 32;
  if (!bytes && mask === undefined && /^\d{1,3}(\.\d{1,3}){0,2}$/.test(addr)) {
    // Partial network such as "10.1": the given octets, /8 per octet.
    const parts = addr.split('.').map(Number);
    if (parts.every((p) => p <= 255)) {
      bytes = new Uint8Array(4);
      parts.forEach((p, i) => ((bytes as Uint8Array)[i] = p));
      bits = parts.length * 8;
    }
  }
  if (!bytes) throw new Error(`invalid IPv4 network "${entry}"`);
  if (mask !== undefined) {
    if (/^\d{1,2}$/.test(mask) && Number(mask) <= 32) {
      bits = Number(mask);
    } else {
      const m = parseIPv4(mask);
      if (!m) throw new Error(`invalid IPv4 netmask in "${entry}"`);
      const value = (((m[0] as number) << 24) | ((m[1] as number) << 16) | ((m[2] as number) << 8) | (m[3] as number)) >>> 0;
      bits = 32 - Math.log2(((~value) >>> 0) + 1);
      if (!Number.isInteger(bits)) throw new Error(`non-contiguous IPv4 netmask in "${entry}"`);
    }
  }
  return { bytes, bits };
}

function isMapped(v6: Uint8Array): boolean {
  return v6.subarray(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
}

function inNetwork(addr: Uint8Array, net: Network): boolean {
  if (addr.length !== net.bytes.length) return false;
  const full = net.bits >> 3;
  for (let i = 0; i < full; i++) if (addr[i] !== net.bytes[i]) return false;
  const rest = net.bits & 7;
  if (rest === 0) return true;
  const m = (0xff << (8 - rest)) & 0xff;
  return ((addr[full] as number) & m) === ((net.bytes[full] as number) & m);
}

/** A set of networks; `has` takes the address text a rule variable holds. */
export class IpSet {
  private readonly v4: Network[] = [];
  private readonly v6: Network[] = [];

  add(entry: string): void {
    const net = parseNetwork(entry);
    (net.bytes.length === 4 ? this.v4 : this.v6).push(net);
  }

  get size(): number {
    return this.v4.length + this.v6.length;
  }

  has(address: string): boolean {
    const text = address;
    const v4 = parseIPv4(text);
    if (v4) return this.v4.some((net) => inNetwork(v4, net));
    const v6 = parseIPv6(text);
    if (!v6) return false;
    // As apr_ipsubnet_test: an IPv4-mapped address (::ffff:a.b.c.d) is tested against IPv4 networks only.
    if (isMapped(v6)) return this.v4.some((net) => inNetwork(v6.subarray(12), net));
    return this.v6.some((net) => inNetwork(v6, net));
  }
}
