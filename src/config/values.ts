/**
 * Value parsers shared by flags, environment variables and YAML. Each takes
 * the raw value (a string from argv/env, or whatever YAML produced) and
 * returns the typed value or throws a ValueError whose message completes
 * "<source>: <message>".
 */
import { isIP } from 'node:net';

export class ValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}

function show(raw: unknown): string {
  return typeof raw === 'string' ? JSON.stringify(raw) : String(raw);
}

function scalarText(raw: unknown, what: string): string {
  if (typeof raw === 'string') return raw.trim();
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  throw new ValueError(`must be ${what}, got ${Array.isArray(raw) ? 'a list' : typeof raw}`);
}

export function parseString(raw: unknown): string {
  const text = scalarText(raw, 'a string');
  if (text === '') throw new ValueError('must not be empty');
  return text;
}

export function parseBool(raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  const text = scalarText(raw, 'true or false').toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  throw new ValueError(`must be true or false, got ${show(raw)}`);
}

export function parseInt(raw: unknown, min: number, max: number): number {
  const text = scalarText(raw, 'an integer');
  if (!/^-?\d+$/.test(text)) throw new ValueError(`must be an integer ${min}-${max}, got ${show(raw)}`);
  const value = Number(text);
  if (value < min || value > max) throw new ValueError(`must be an integer ${min}-${max}, got ${show(raw)}`);
  return value;
}

export function parseEnum<T extends string>(raw: unknown, allowed: readonly T[]): T {
  const text = scalarText(raw, `one of ${allowed.join(', ')}`);
  const found = allowed.find((a) => a.toLowerCase() === text.toLowerCase());
  if (found === undefined) throw new ValueError(`must be one of ${allowed.join(', ')}, got ${show(raw)}`);
  return found;
}

const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3,
};

/** Bytes: `131072`, `128k`, `128KiB`, `12.5MiB` (units are binary, as SecRequestBodyLimit sizes usually are). */
export function parseBytes(raw: unknown, min = 0, max = 2 ** 40): number {
  const text = scalarText(raw, 'a size');
  const match = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(text);
  const unit = match ? SIZE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new ValueError(`must be a size such as 131072, 128KiB or 12MiB, got ${show(raw)}`);
  const value = Math.floor(Number(match[1]) * unit);
  if (value < min || value > max) throw new ValueError(`must be between ${min} and ${max} bytes, got ${show(raw)}`);
  return value;
}

const DURATION_UNITS: Record<string, number> = { '': 1, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds: `500ms`, `30s`, `2m`, or a bare number of milliseconds. */
export function parseDuration(raw: unknown, min = 0, max = 24 * 3_600_000): number {
  const text = scalarText(raw, 'a duration');
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|)$/.exec(text);
  if (!match) throw new ValueError(`must be a duration such as 500ms, 30s or 2m, got ${show(raw)}`);
  const value = Math.round(Number(match[1]) * DURATION_UNITS[match[2]!]!);
  if (value < min || value > max) throw new ValueError(`must be between ${min}ms and ${max}ms, got ${show(raw)}`);
  return value;
}

/** `host:port`, `:port` or a bare port (all interfaces), or `[v6]:port`. Port 0 asks the OS for a free port. */
export function parseListen(raw: unknown): { host: string; port: number } {
  const given = scalarText(raw, 'host:port');
  const text = /^\d+$/.test(given) ? `:${given}` : given;
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]*)):(\d{1,5})$/.exec(text);
  if (!match) throw new ValueError(`must be host:port (e.g. 0.0.0.0:8080), got ${show(raw)}`);
  const host = match[1] ?? (match[2] || '0.0.0.0');
  const port = Number(match[3]);
  if (port > 65535) throw new ValueError(`port must be 0-65535, got ${port}`);
  if (match[1] !== undefined && isIP(host) !== 6) throw new ValueError(`${show(host)} is not an IPv6 address`);
  return { host, port };
}

/** An upstream origin: http(s)://host[:port], no path, query or credentials. */
export function parseOrigin(raw: unknown): string {
  const text = parseString(raw);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ValueError(`must be a URL such as http://app:8080, got ${show(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ValueError(`must use http or https, got ${show(raw)}`);
  if (url.username || url.password) throw new ValueError('must not contain credentials');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new ValueError(`must be an origin without path or query, got ${show(raw)}`);
  }
  return url.origin;
}

/** An IPv4/IPv6 address or CIDR block. */
export function parseCidr(raw: unknown): string {
  const text = parseString(raw);
  const [address, bits, extra] = text.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || extra !== undefined) throw new ValueError(`must be an IP address or CIDR such as 10.0.0.0/8, got ${show(raw)}`);
  if (bits !== undefined) {
    const max = family === 4 ? 32 : 128;
    if (!/^\d+$/.test(bits) || Number(bits) > max) throw new ValueError(`prefix length must be 0-${max}, got ${show(raw)}`);
  }
  return text;
}

/** A list from YAML (sequence or scalar) or a comma-separated string (env). */
export function splitList(raw: unknown): unknown[] {
  if (Array.isArray(raw)) return raw;
  if (typeof raw === 'string') return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (raw === null || raw === undefined) return [];
  return [raw];
}
