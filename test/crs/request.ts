/**
 * Builds the bytes go-ftw puts on the wire for a stage (ftwhttp/request.go
 * BuildRequest), so picket sees exactly what ModSecurity saw in CRS's own runs:
 *
 * - `encoded_request`: the base64-decoded bytes, nothing added.
 * - otherwise `METHOD URI VERSION\r\n`, the headers in order, `\r\n`, the body.
 * - with autocomplete (the default) and a non-empty body: Content-Type
 *   application/x-www-form-urlencoded when none is given, and for that type
 *   each key and value is query-escaped unless the body already unescapes
 *   to something different; then `Connection: close` when no Connection
 *   header is given, and Content-Length when none is given and there is a
 *   body or the method matches go-ftw's `^POST|PUT|PATCH|DELETE$`.
 * - a Content-Type containing `multipart/form-data;` turns every LF of the
 *   body into CRLF (with or without autocomplete).
 * - `data` is a Go template; CRS uses only `{{ "x" | repeat N }}`.
 */
import type { StageInput } from './ftw-types.ts';

/** textproto.CanonicalMIMEHeaderKey: names with non-token bytes stay as they are. */
export function canonicalHeaderKey(name: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return name;
  let upper = true;
  let out = '';
  for (const ch of name) {
    out += upper ? ch.toUpperCase() : ch.toLowerCase();
    upper = ch === '-';
  }
  return out;
}

class Headers {
  readonly entries: [string, string][];
  constructor(entries: readonly (readonly [string, string])[]) {
    this.entries = entries.map(([n, v]) => [n, v]);
  }
  has(name: string): boolean {
    const key = canonicalHeaderKey(name);
    return this.entries.some(([n]) => canonicalHeaderKey(n) === key);
  }
  values(name: string): string[] {
    const key = canonicalHeaderKey(name);
    return this.entries.filter(([n]) => canonicalHeaderKey(n) === key).map(([, v]) => v);
  }
  add(name: string, value: string): void {
    this.entries.push([name, value]);
  }
}

const TEMPLATE_ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/gs;
const REPEAT_PIPE = /^"((?:[^"\\]|\\.)*)"\s*\|\s*repeat\s+(\d+)$/s;
const REPEAT_CALL = /^repeat\s+(\d+)\s+"((?:[^"\\]|\\.)*)"$/s;

function goStringLiteral(body: string): string {
  return JSON.parse(`"${body}"`) as string;
}

/**
 * Expands go-ftw's data template. Returns null where go-ftw's template
 * parser would fail (it then sends no body), which is what an action we do
 * not recognise most likely means.
 */
export function expandTemplate(data: string): string | null {
  if (!data.includes('{{')) return data;
  let failed = false;
  const out = data.replace(TEMPLATE_ACTION, (_whole, action: string) => {
    let m = REPEAT_PIPE.exec(action);
    if (m) return goStringLiteral(m[1] ?? '').repeat(Number(m[2]));
    m = REPEAT_CALL.exec(action);
    if (m) return goStringLiteral(m[2] ?? '').repeat(Number(m[1]));
    failed = true;
    return '';
  });
  return failed ? null : out;
}

/** Go url.QueryEscape over UTF-8 bytes: unreserved kept, space as '+', the rest %XX. */
function queryEscape(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (b === 0x20) out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Go url.QueryUnescape; null on a malformed escape (Go returns an error). */
function queryUnescape(bytes: Buffer): Buffer | null {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b === 0x25) {
      const hex = bytes.subarray(i + 1, i + 3).toString('latin1');
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (b === 0x2b) out.push(0x20);
    else out.push(b);
  }
  return Buffer.from(out);
}

/** go-ftw encodeDataParameters: escape unescaped key=value form bodies. */
function encodeFormData(headers: Headers, data: Buffer): Buffer {
  const isForm = headers
    .values('Content-Type')
    .some((v) => v.toLowerCase() === 'application/x-www-form-urlencoded');
  if (!isForm) return data;
  const unescaped = queryUnescape(data);
  if (unescaped === null || !unescaped.equals(data)) return data;
  const parts: string[] = [];
  let rest = data;
  while (rest.length > 0) {
    const amp = rest.indexOf(0x26);
    const token = amp === -1 ? rest : rest.subarray(0, amp);
    rest = amp === -1 ? Buffer.alloc(0) : rest.subarray(amp + 1);
    const eq = token.indexOf(0x3d);
    if (eq === -1) parts.push(queryEscape(token));
    else parts.push(`${queryEscape(token.subarray(0, eq))}=${queryEscape(token.subarray(eq + 1))}`);
  }
  return Buffer.from(parts.join('&'), 'latin1');
}

const METHODS_WITH_BODY = /^POST|PUT|PATCH|DELETE$/;

/** The stage's body bytes before go-ftw's rewriting; null when none. */
function stageData(input: StageInput): Buffer | null {
  if (input.data !== null) {
    const expanded = expandTemplate(input.data);
    return expanded === null ? null : Buffer.from(expanded, 'utf8');
  }
  if (input.encodedData !== null) return Buffer.from(input.encodedData, 'base64');
  return null;
}

/** The exact request bytes for one stage. */
export function buildRequest(input: StageInput): Buffer {
  if (input.encodedRequest !== null) return Buffer.from(input.encodedRequest, 'base64');
  const headers = new Headers(input.headers);
  let data = stageData(input) ?? Buffer.alloc(0);
  if (data.length > 0 && input.autocompleteHeaders) {
    if (!headers.has('Content-Type')) headers.add('Content-Type', 'application/x-www-form-urlencoded');
    data = encodeFormData(headers, data);
  }
  if (headers.values('Content-Type').some((v) => v.toLowerCase().includes('multipart/form-data;'))) {
    data = Buffer.from(data.toString('latin1').replaceAll('\n', '\r\n'), 'latin1');
  }
  if (input.autocompleteHeaders) {
    if (!headers.has('Connection')) headers.add('Connection', 'close');
    if (!headers.has('Content-Length') && (data.length > 0 || METHODS_WITH_BODY.test(input.method))) {
      headers.add('Content-Length', String(data.length));
    }
  }
  // Go writes strings as their UTF-8 bytes.
  let head = `${input.method} ${input.uri} ${input.version}\r\n`;
  for (const [name, value] of headers.entries) head += `${name}: ${value}\r\n`;
  head += '\r\n';
  return Buffer.concat([Buffer.from(head, 'utf8'), data]);
}
