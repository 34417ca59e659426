/**
 * Parses one raw HTTP/1.1 request (as a file or stdin holds it) for
 * `picket eval`: request line, header fields, and a body framed by
 * Content-Length or chunked Transfer-Encoding. Bare LF line ends are accepted
 * (hand-edited files); everything else is strict, and each error says which
 * line or byte offset is wrong.
 */
import { WafError } from '../errors.ts';

export interface RawRequest {
  readonly method: string;
  /** The request-target exactly as written. */
  readonly target: string;
  readonly protocol: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function fail(message: string): never {
  throw new WafError('WAF_ERR_REQUEST_PARSE', message);
}

/** Splits the next line (ending in LF or CRLF) starting at offset; null when no LF remains. */
function nextLine(data: Buffer, offset: number): { text: string; next: number } | null {
  const lf = data.indexOf(0x0a, offset);
  if (lf < 0) return null;
  const end = lf > offset && data[lf - 1] === 0x0d ? lf - 1 : lf;
  return { text: data.toString('latin1', offset, end), next: lf + 1 };
}

function decodeChunked(data: Buffer, start: number): Buffer {
  const parts: Buffer[] = [];
  let offset = start;
  for (;;) {
    const line = nextLine(data, offset);
    if (!line) fail(`chunked body: missing chunk size line at byte ${offset}`);
    const sizeText = line.text.split(';')[0]!.trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) fail(`chunked body: bad chunk size ${JSON.stringify(line.text)} at byte ${offset}`);
    const size = Number.parseInt(sizeText, 16);
    offset = line.next;
    if (size === 0) {
      // Trailer fields until the empty line; a file may simply end here.
      for (;;) {
        const trailer = nextLine(data, offset);
        if (!trailer || trailer.text === '') return Buffer.concat(parts);
        offset = trailer.next;
      }
    }
    if (offset + size > data.length) fail(`chunked body: chunk of ${size} bytes at byte ${offset} runs past the end (${data.length - offset} left)`);
    parts.push(data.subarray(offset, offset + size));
    offset += size;
    const end = nextLine(data, offset);
    if (!end || end.text !== '') fail(`chunked body: chunk data at byte ${offset - size} is not followed by a line end`);
    offset = end.next;
  }
}

export function parseRawRequest(data: Buffer): RawRequest {
  const first = nextLine(data, 0);
  if (!first) fail('line 1: no complete request line (expected "METHOD TARGET HTTP/1.1" and a line end)');
  const parts = first.text.split(' ');
  if (parts.length !== 3 || parts.some((p) => p === '')) {
    fail(`line 1: request line must be "METHOD TARGET HTTP/x.y" separated by single spaces, got ${JSON.stringify(first.text)}`);
  }
  const [method, target, protocol] = parts as [string, string, string];
  if (!TOKEN.test(method)) fail(`line 1: bad method ${JSON.stringify(method)}`);
  if (!/^HTTP\/\d\.\d$/.test(protocol)) fail(`line 1: bad protocol ${JSON.stringify(protocol)} (expected HTTP/1.1)`);

  const headers: [string, string][] = [];
  let offset = first.next;
  let lineNo = 1;
  for (;;) {
    const line = nextLine(data, offset);
    lineNo++;
    if (!line) fail(`line ${lineNo}: headers do not end with an empty line`);
    offset = line.next;
    if (line.text === '') break;
    if (line.text[0] === ' ' || line.text[0] === '\t') fail(`line ${lineNo}: obsolete header line folding is not accepted`);
    const colon = line.text.indexOf(':');
    const name = colon > 0 ? line.text.slice(0, colon) : '';
    if (!TOKEN.test(name)) fail(`line ${lineNo}: bad header line ${JSON.stringify(line.text)} (expected "Name: value")`);
    headers.push([name, line.text.slice(colon + 1).trim()]);
  }

  const values = (name: string): string[] => headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
  const rest = data.subarray(offset);
  const onlyLineEnds = (bytes: Buffer): boolean => bytes.every((b) => b === 0x0a || b === 0x0d);
  let body: Buffer;
  const transferEncoding = values('transfer-encoding');
  const contentLength = values('content-length');
  if (transferEncoding.length > 0) {
    if (contentLength.length > 0) fail('both Content-Length and Transfer-Encoding given: which frames the body is ambiguous');
    if (transferEncoding.join(',').trim().toLowerCase() !== 'chunked') fail(`unsupported Transfer-Encoding ${JSON.stringify(transferEncoding.join(', '))} (only chunked)`);
    body = decodeChunked(data, offset);
  } else if (contentLength.length > 0) {
    if (new Set(contentLength).size > 1 || !/^\d+$/.test(contentLength[0]!)) fail(`bad Content-Length ${JSON.stringify(contentLength.join(', '))}`);
    const length = Number(contentLength[0]);
    if (rest.length < length) fail(`body has ${rest.length} bytes but Content-Length says ${length}`);
    if (!onlyLineEnds(rest.subarray(length))) fail(`${rest.length - length} bytes follow the ${length}-byte body (one request per file)`);
    body = rest.subarray(0, length);
  } else {
    if (!onlyLineEnds(rest)) fail(`${rest.length} bytes follow the headers but there is no Content-Length or Transfer-Encoding: chunked`);
    body = Buffer.alloc(0);
  }
  return { method, target, protocol, headers, body };
}
