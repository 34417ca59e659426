/**
 * A lenient HTTP/1.x request-head reader for requests picket refuses.
 *
 * Description:
 *   When node's strict parser (llhttp) or picket's own checks refuse a
 *   request, picket still shows it to the engine before answering (see
 *   docs/http-parsing.md, "refuse but inspect"). This reader recovers what a
 *   permissive server would have seen from the raw bytes: the request line,
 *   the header fields, and the body when its framing is unambiguous. It never
 *   throws and never reads past `maxBytes`; its result is only ever
 *   inspected, never forwarded, so leniency here cannot smuggle anything.
 *
 *   Leniencies: leading empty lines are skipped; bare LF ends lines; runs of
 *   spaces/tabs separate request-line parts, the last of three or more is the
 *   version, and a request-target with spaces in it is kept whole; any byte other than whitespace and controls may be in
 *   the target (raw UTF-8 too); a request line without a version is HTTP/0.9
 *   (no header fields); obs-fold continues the previous value; header lines
 *   without a colon are skipped; whitespace before the colon is dropped.
 *
 * Arguments:
 *   data      the bytes received (err.rawPacket from node's 'clientError').
 *   maxBytes  how much of `data` to look at.
 *
 * Returns: null when the bytes do not start with a request line (a method
 *   token, a target and a line end), else a LenientRequest.
 *
 * Example:
 *   parseLenientRequest(Buffer.from('FOO /x HTTP/1.1\r\nHost: a\r\n\r\n'))
 *   // → { method: 'FOO', target: '/x', protocol: 'HTTP/1.1', rawHeaders: ['Host', 'a'], body: null, ... }
 */

export interface LenientRequest {
  readonly method: string;
  /** The request-target as received (latin1 byte string). */
  readonly target: string;
  /** As written (e.g. `HTTP/4.0`, `JUNK`), or `HTTP/0.9` when the request line has no version. */
  readonly protocol: string;
  /** Whether the request line had a version at all (false: HTTP/0.9 syntax). */
  readonly versioned: boolean;
  /** Node's flat [name, value, …] form, latin1 byte strings. */
  readonly rawHeaders: readonly string[];
  /** The header section ended with an empty line within the bytes read. */
  readonly headComplete: boolean;
  /**
   * How the body is framed: none, by one Content-Length, by chunked coding,
   * or ambiguous (Content-Length with Transfer-Encoding, conflicting or
   * malformed Content-Length, a coding other than chunked last).
   */
  readonly framing: 'none' | 'length' | 'chunked' | 'ambiguous';
  /** The body bytes available in `data` when the framing is unambiguous (possibly a prefix); null otherwise. */
  readonly body: Buffer | null;
  /** Offset just past this message when all of it is in `data` (a pipelined request may follow), else null. */
  readonly end: number | null;
}

/** RFC 9110 tchar: what a method or header name is made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Header fields kept at most (node's default maxHeadersCount is 2000). */
const MAX_FIELDS = 2000;

/**
 * Strips spaces and tabs (HTTP's OWS) at both ends. Not String.trim: on
 * latin1 byte strings that would also eat 0xA0 and other bytes of UTF-8 text.
 */
function ows(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/g, '');
}

interface Line {
  readonly text: string;
  readonly next: number;
}

function nextLine(data: Buffer, offset: number): Line | null {
  const lf = data.indexOf(0x0a, offset);
  if (lf < 0) return null;
  const end = lf > offset && data[lf - 1] === 0x0d ? lf - 1 : lf;
  return { text: data.toString('latin1', offset, end), next: lf + 1 };
}

export function parseLenientRequest(data: Buffer, maxBytes = 1024 * 1024): LenientRequest | null {
  const bytes = data.length > maxBytes ? data.subarray(0, maxBytes) : data;
  let offset = 0;
  let first = nextLine(bytes, offset);
  // RFC 9112 §2.2: empty lines before the request line are ignored.
  while (first && first.text === '') {
    offset = first.next;
    first = nextLine(bytes, offset);
  }
  if (!first) return null;
  // Leading whitespace before the method (Apache refuses it) is skipped so the rules still see the line.
  const line = first.text.replace(/^[ \t]+/, '');
  const methodEnd = line.search(/[ \t]/);
  if (methodEnd <= 0) return null;
  const method = line.slice(0, methodEnd);
  if (!TOKEN.test(method)) return null;
  const rest = ows(line.slice(methodEnd));
  if (rest === '' || /[\x00-\x08\x0a-\x1f\x7f]/.test(rest)) return null;
  const lastGap = rest.search(/[ \t][^ \t]*$/);
  if (lastGap < 0) {
    // Method and target only: HTTP/0.9, whose request is the request line alone.
    return { method, target: rest, protocol: 'HTTP/0.9', versioned: false, rawHeaders: [], headComplete: true, framing: 'none', body: null, end: first.next };
  }
  // The last part is the version, whatever it says (`HTTP/4.0`, `JUNK/1.0`): the engine judges it.
  const tail = rest.slice(lastGap + 1);
  const target = ows(rest.slice(0, lastGap));

  const rawHeaders: string[] = [];
  offset = first.next;
  let headComplete = false;
  for (;;) {
    const field = nextLine(bytes, offset);
    if (!field) break;
    offset = field.next;
    if (field.text === '') {
      headComplete = true;
      break;
    }
    const text = field.text;
    if ((text[0] === ' ' || text[0] === '\t') && rawHeaders.length > 0) {
      rawHeaders[rawHeaders.length - 1] = ows(`${rawHeaders[rawHeaders.length - 1]} ${ows(text)}`);
      continue;
    }
    const colon = text.indexOf(':');
    if (colon <= 0 || rawHeaders.length >= MAX_FIELDS * 2) continue;
    const name = ows(text.slice(0, colon));
    if (name === '') continue;
    rawHeaders.push(name, ows(text.slice(colon + 1)));
  }

  const framing = framingOf(rawHeaders);
  let body: Buffer | null = null;
  let end: number | null = null;
  if (headComplete && framing === 'none') {
    end = offset;
  } else if (headComplete && framing === 'length') {
    const length = Number(valuesOf(rawHeaders, 'content-length')[0]);
    body = bytes.subarray(offset, Math.min(bytes.length, offset + length));
    if (offset + length <= bytes.length) end = offset + length;
  } else if (headComplete && framing === 'chunked') {
    const chunked = dechunk(bytes, offset);
    body = chunked.body;
    end = chunked.end;
  }
  return { method, target, protocol: tail, versioned: true, rawHeaders, headComplete, framing, body, end };
}

function valuesOf(raw: readonly string[], lower: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === lower) values.push(raw[i + 1]!);
  return values;
}

function framingOf(raw: readonly string[]): LenientRequest['framing'] {
  const codings = valuesOf(raw, 'transfer-encoding').join(',').split(',').map((c) => ows(c).toLowerCase()).filter(Boolean);
  const lengths = valuesOf(raw, 'content-length').join(',').split(',').map((v) => ows(v));
  const hasTe = valuesOf(raw, 'transfer-encoding').length > 0;
  const hasCl = valuesOf(raw, 'content-length').length > 0;
  if (hasTe) return !hasCl && codings.at(-1) === 'chunked' ? 'chunked' : 'ambiguous';
  if (!hasCl) return 'none';
  if (new Set(lengths).size !== 1 || !/^\d{1,15}$/.test(lengths[0]!)) return 'ambiguous';
  return 'length';
}

/**
 * The chunk data present in `data`, stopping quietly at the first malformed
 * or missing part; `end` is past the trailer section when the body is complete.
 */
function dechunk(data: Buffer, start: number): { body: Buffer; end: number | null } {
  const parts: Buffer[] = [];
  let offset = start;
  let end: number | null = null;
  for (;;) {
    const sizeLine = nextLine(data, offset);
    if (!sizeLine) break;
    const sizeText = ows(sizeLine.text.split(';')[0]!);
    if (!/^[0-9a-fA-F]{1,12}$/.test(sizeText)) break;
    const size = Number.parseInt(sizeText, 16);
    if (size === 0) {
      for (let trailer = nextLine(data, sizeLine.next); trailer; trailer = nextLine(data, trailer.next)) {
        if (trailer.text === '') {
          end = trailer.next;
          break;
        }
      }
      break;
    }
    const dataEnd = Math.min(data.length, sizeLine.next + size);
    parts.push(data.subarray(sizeLine.next, dataEnd));
    if (dataEnd < sizeLine.next + size) break;
    const after = nextLine(data, dataEnd);
    if (!after || after.text !== '') break;
    offset = after.next;
  }
  return { body: Buffer.concat(parts), end };
}
