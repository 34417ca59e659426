/**
 * MULTIPART body processor with ModSecurity v2 semantics (msc_multipart.c).
 *
 * Description: parses a `multipart/form-data` body (a byte string, one char
 * per byte) into form fields (ARGS_POST), file parts (FILES, FILES_NAMES,
 * FILES_SIZES, FILES_COMBINED_SIZE), MULTIPART_PART_HEADERS, MULTIPART_NAME,
 * MULTIPART_FILENAME and every anomaly flag ModSecurity v2 raises
 * (MULTIPART_STRICT_ERROR and its components, MULTIPART_UNMATCHED_BOUNDARY,
 * MULTIPART_CRLF_LF_LINES). Where v2 reports a parse error, `reqbodyError`
 * holds the REQBODY_ERROR_MSG text and, as in v2, no field becomes an
 * argument (parts closed before the error still appear in `parts`/`files`).
 *
 * The body is scanned the way v2 scans it: in lines of at most 4096 bytes
 * (a longer line is cut; a `\r` never ends a full buffer), each line being a
 * boundary, a part header line or part data. The line ending before a
 * boundary belongs to the boundary. The whole body is treated as one chunk
 * (v2 may see several chunks, which only changes which of DATA_BEFORE /
 * DATA_AFTER it reports for data after the last boundary).
 *
 * Arguments: `body`; `contentType` the raw Content-Type request header
 * (undefined if absent); `options.fileLimit` SecUploadFileLimit, applied only
 * when given (v2 applies it only when it extracts files to disk, which needs
 * SecUploadKeepFiles, SecTmpSaveUploadedFiles or @inspectFile).
 *
 * Example:
 *   parseMultipart('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n',
 *     'multipart/form-data; boundary=b') → args [{name:'a', value:'1'}], no flags.
 */
import type { ArgPair } from './types.ts';

/** Lines longer than this are cut into several buffers (MULTIPART_BUF_SIZE). */
export const MULTIPART_BUF_SIZE = 4096;

export interface MultipartOptions {
  /** SecUploadFileLimit: flag MULTIPART_FILE_LIMIT_EXCEEDED past this many files (see header). */
  readonly fileLimit?: number;
}

/** One part that was closed by a boundary and had a name. */
export interface MultipartPart {
  readonly name: string;
  /** A file part: its Content-Disposition had a filename parameter. */
  readonly isFile: boolean;
  /** The filename parameter (file parts only; may be ''). */
  readonly filename: string | undefined;
  /** The field value, or the file content. */
  readonly value: string;
  /** Bytes of value (FILES_SIZES for files). */
  readonly size: number;
  /** The part's Content-Type header value, if any. */
  readonly contentType: string | undefined;
  /** Part headers as received (folded lines joined with a space). */
  readonly headers: readonly ArgPair[];
  /** Full header lines, `Name: value`, as MULTIPART_PART_HEADERS shows them. */
  readonly headerLines: readonly string[];
}

/** The v2 anomaly flags; each one is a `MULTIPART_*` variable (0/1). */
export interface MultipartFlags {
  /** A parse error (part of MULTIPART_STRICT_ERROR, no variable of its own). */
  error: boolean;
  boundaryQuoted: boolean;
  boundaryWhitespace: boolean;
  dataBefore: boolean;
  dataAfter: boolean;
  headerFolding: boolean;
  lfLine: boolean;
  crlfLine: boolean;
  missingSemicolon: boolean;
  invalidQuoting: boolean;
  invalidPart: boolean;
  invalidHeaderFolding: boolean;
  fileLimitExceeded: boolean;
  unmatchedBoundary: boolean;
}

export interface MultipartResult {
  /** Non-file parts as arguments, in order; empty when `reqbodyError` is set. */
  readonly args: ArgPair[];
  /** Every completed named part, fields and files, in order. */
  readonly parts: readonly MultipartPart[];
  /** The file parts of `parts`. */
  readonly files: readonly MultipartPart[];
  readonly filesCombinedSize: number;
  /** MULTIPART_PART_HEADERS: key = part name, value = one header line. */
  readonly partHeaders: ArgPair[];
  /** MULTIPART_NAME / MULTIPART_FILENAME: the last name= / filename= parsed. */
  readonly multipartName: string | undefined;
  readonly multipartFilename: string | undefined;
  readonly flags: Readonly<MultipartFlags>;
  /** MULTIPART_STRICT_ERROR. */
  readonly strictError: boolean;
  /** MULTIPART_CRLF_LF_LINES: both CRLF and bare LF line endings seen. */
  readonly crlfLfLines: boolean;
  /** REQBODY_ERROR_MSG when the body is invalid (REQBODY_ERROR=1). */
  readonly reqbodyError: string | undefined;
  /** Bytes counted against SecRequestBodyNoFilesLimit (part headers and field data). */
  readonly noFilesLength: number;
}

/** Thrown inside the parser to stop at the first error; never escapes. */
class Stop {
  readonly message: string;
  /** Whether v2 raises flag_error (MULTIPART_STRICT_ERROR) for this error. */
  readonly flagsError: boolean;
  constructor(message: string, flagsError = true) {
    this.message = message;
    this.flagsError = flagsError;
  }
}

function isCSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

/** RFC 2616 token characters, as v2's is_token_char. */
function isTokenChar(code: number): boolean {
  if (code <= 32 || code >= 127) return false;
  return !'()<>@,;:\\"/[]?='.includes(String.fromCharCode(code));
}

/** Printable form of attacker bytes for messages (v2 log_escape_nq). */
export function logEscape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x20 && c <= 0x7e ? s[i] : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** Drops one trailing "\n" or "\r\n" (v2 remove_lf_crlf_inplace). */
function chompLine(s: string): string {
  if (s.endsWith('\r\n')) return s.slice(0, -2);
  if (s.endsWith('\n')) return s.slice(0, -1);
  return s;
}

/** How many times "boundary" (any case) appears with an '=' somewhere after it. */
function countBoundaryParams(value: string): number {
  const lower = value.toLowerCase();
  let count = 0;
  let at = lower.indexOf('boundary');
  while (at !== -1) {
    if (lower.indexOf('=', at + 8) !== -1) count++;
    at = lower.indexOf('boundary', at + 8);
  }
  return count;
}

/** RFC 2046 boundary characters; a space is allowed but not last. */
function boundaryCharsValid(boundary: string): boolean {
  for (let i = 0; i < boundary.length; i++) {
    const c = boundary.charCodeAt(i);
    const ok =
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      (c === 0x20 && i + 1 < boundary.length) ||
      "'()+_,-./:=?".includes(boundary[i] as string);
    if (!ok) return false;
  }
  return true;
}

interface BoundarySpec {
  readonly boundary: string;
  readonly quoted: boolean;
}

/** Extracts the boundary from the Content-Type as v2's multipart_init; throws Stop. */
function parseBoundary(contentType: string | undefined, flags: MultipartFlags): BoundarySpec {
  if (contentType === undefined) throw new Stop('Multipart: Content-Type header not available.');
  if (contentType.length > 1024) throw new Stop('Multipart: Invalid boundary in C-T (length).');
  if (contentType.slice(0, 19).toLowerCase() !== 'multipart/form-data') {
    throw new Stop('Multipart: Invalid MIME type.');
  }
  if (countBoundaryParams(contentType) > 1) throw new Stop('Multipart: Multiple boundary parameters in C-T.');
  // v2 looks for the parameter name case-sensitively.
  const at = contentType.indexOf('boundary');
  if (at === -1) {
    if (countBoundaryParams(contentType) > 0) {
      throw new Stop('Multipart: Invalid boundary in C-T (case sensitivity).');
    }
    throw new Stop('Multipart: Boundary not found in C-T.');
  }
  let seenSemicolon = false;
  for (let p = 19; p < at; p++) {
    const c = contentType.charCodeAt(p);
    if (isCSpace(c)) continue;
    if (!seenSemicolon && c === 0x3b) seenSemicolon = true;
    else throw new Stop('Multipart: Invalid boundary in C-T (malformed).');
  }
  if (!seenSemicolon) flags.missingSemicolon = true;
  const eq = contentType.indexOf('=', at + 8);
  if (eq === -1) throw new Stop('Multipart: Invalid boundary in C-T (malformed).');
  for (let p = at + 8; p < eq; p++) {
    if (isCSpace(contentType.charCodeAt(p))) flags.boundaryWhitespace = true;
    else throw new Stop('Multipart: Invalid boundary in C-T (parameter name).');
  }
  // Everything after '=' is the boundary, later parameters included.
  const b = contentType.slice(eq + 1);
  if (b.length > 0 && isCSpace(b.charCodeAt(0))) flags.boundaryWhitespace = true;
  let boundary: string;
  let quoted = false;
  if (b.length >= 2 && b.startsWith('"') && b.endsWith('"')) {
    boundary = b.slice(1, -1);
    quoted = true;
    flags.boundaryQuoted = true;
  } else {
    if (b.startsWith('"') || (b.length >= 2 && b.endsWith('"'))) {
      throw new Stop('Multipart: Invalid boundary in C-T (quote).');
    }
    boundary = b;
  }
  if (countBoundaryParams(boundary) !== 0) throw new Stop('Multipart: Invalid boundary in C-T (content).');
  if (!boundaryCharsValid(boundary)) throw new Stop('Multipart: Invalid boundary in C-T (characters).');
  if (boundary.length === 0) throw new Stop('Multipart: Invalid boundary in C-T (empty).');
  return { boundary, quoted };
}

/** A part being built. */
interface OpenPart {
  isFile: boolean;
  name: string | undefined;
  filename: string | undefined;
  /** Lower-cased header name → header as received. */
  readonly headers: Map<string, { name: string; value: string }>;
  lastHeaderName: string | undefined;
  lastHeaderLine: string | undefined;
  readonly headerLines: string[];
  readonly chunks: string[];
  length: number;
  hasTmpFile: boolean;
}

function newPart(): OpenPart {
  return {
    isFile: false,
    name: undefined,
    filename: undefined,
    headers: new Map(),
    lastHeaderName: undefined,
    lastHeaderLine: undefined,
    headerLines: [],
    chunks: [],
    length: 0,
    hasTmpFile: false,
  };
}

class MultipartParser {
  readonly flags: MultipartFlags;
  private readonly boundary: string;
  private readonly boundaryQuoted: boolean;
  private readonly fileLimit: number | undefined;
  readonly parts: MultipartPart[] = [];
  multipartName: string | undefined;
  multipartFilename: string | undefined;
  noFilesLength = 0;

  private part: OpenPart | undefined;
  /** 0: reading part headers, 1: reading part data. */
  private partState: 0 | 1 = 0;
  private partDataRead = false;
  private reserve = '';
  private boundaryCount = 0;
  private isComplete = false;
  private nfiles = 0;
  /** Whether the current buffer started at the beginning of a line. */
  private bufContainsLine = true;
  /** The previous buffer ended with a bare LF (v2 crlf_state_buf_end == 2). */
  private prevBufEndedLf = false;

  constructor(flags: MultipartFlags, spec: BoundarySpec, options: MultipartOptions) {
    this.flags = flags;
    this.boundary = spec.boundary;
    this.boundaryQuoted = spec.quoted;
    this.fileLimit = options.fileLimit;
  }

  /** Feeds the whole body; throws Stop on the first error. */
  process(body: string): void {
    const n = body.length;
    let pos = 0;
    while (pos < n) {
      const newline = body.indexOf('\n', pos);
      let end: number;
      let full = false;
      let endsInLf = false;
      if (newline !== -1 && newline < pos + MULTIPART_BUF_SIZE) {
        end = newline + 1;
        endsInLf = true;
        // A line that fills the buffer exactly still counts as a full buffer.
        full = end - pos === MULTIPART_BUF_SIZE;
      } else if (n - pos >= MULTIPART_BUF_SIZE) {
        full = true;
        // A '\r' is never taken as the last byte of a full buffer.
        end = body.charCodeAt(pos + MULTIPART_BUF_SIZE - 1) === 0x0d ? pos + MULTIPART_BUF_SIZE - 1 : pos + MULTIPART_BUF_SIZE;
      } else {
        this.complete(body.slice(pos));
        return;
      }
      this.processBuffer(body.slice(pos, end), full);
      this.bufContainsLine = endsInLf;
      this.prevBufEndedLf = endsInLf && !(end >= 2 && body.charCodeAt(end - 2) === 0x0d);
      pos = end;
      if (this.isComplete && pos < n) {
        this.flags.dataAfter = true;
        return;
      }
    }
    this.complete('');
  }

  /** End of body: v2 multipart_complete, with what is left in the buffer. */
  private complete(leftover: string): void {
    if (this.isComplete) return;
    if (this.boundaryCount === 0) throw new Stop('Multipart: No boundaries found in payload.', false);
    if (this.bufContainsLine && leftover === `--${this.boundary}--`) {
      if (this.prevBufEndedLf) this.flags.lfLine = true;
      // It looks like the final boundary, but part data should begin there.
      if (!this.partDataRead) this.flags.invalidPart = true;
      this.closePart(true);
      this.isComplete = true;
      return;
    }
    throw new Stop('Multipart: Final boundary missing.', false);
  }

  private processBuffer(buf: string, full: boolean): void {
    const nul = buf.indexOf('\0');
    const clen = nul === -1 ? buf.length : nul; // v2 uses strlen() here
    const boundary = this.boundary;
    let asBoundary = false;
    if (this.bufContainsLine && clen > 3 && buf.startsWith('--')) {
      if (clen >= boundary.length + 2 && buf.startsWith(boundary, 2)) {
        if (this.prevBufEndedLf) this.flags.lfLine = true;
        if (!this.partDataRead && this.boundaryCount > 0) {
          // Matches our boundary, but this is where part data should begin.
          this.flags.invalidPart = true;
        } else {
          const cstr = buf.slice(0, clen);
          let at = 2 + boundary.length;
          const isFinal = cstr.startsWith('--', at);
          if (isFinal) {
            at += 2;
            if (this.isComplete) throw new Stop('Multipart: Invalid boundary (final duplicate).');
          }
          const rest = cstr.slice(at);
          if (rest !== '\r\n' && rest !== '\n') throw new Stop(`Multipart: Invalid boundary: ${logEscape(buf)}`);
          if (rest === '\n') this.flags.lfLine = true;
          else this.flags.crlfLine = true;
          this.closePart(isFinal);
          if (isFinal) this.isComplete = true;
          asBoundary = true;
          this.boundaryCount++;
        }
      } else {
        if (this.boundaryQuoted && clen >= boundary.length + 3 && buf[2] === '"' && buf.startsWith(boundary, 3)) {
          throw new Stop('Multipart: Invalid boundary (quotes).');
        }
        let p = 2;
        while (p < buf.length && isCSpace(buf.charCodeAt(p))) p++;
        if (p !== 2 && buf.startsWith(boundary, p)) throw new Stop('Multipart: Invalid boundary (whitespace).');
        this.flags.unmatchedBoundary = true;
      }
    } else if (this.bufContainsLine && buf.includes(`--${boundary}`)) {
      // Something resembling our boundary inside the line.
      this.flags.unmatchedBoundary = true;
    }
    if (asBoundary) return;
    if (this.part === undefined) {
      this.flags.dataBefore = true;
    } else if (this.partState === 0) {
      if (full) throw new Stop(`Multipart: Part header line over ${MULTIPART_BUF_SIZE} bytes long`);
      this.processHeaderLine(this.part, buf);
    } else {
      this.processData(this.part, buf);
    }
  }

  private processHeaderLine(part: OpenPart, buf: string): void {
    if (buf.includes('\0')) throw new Stop('Multipart: Nul byte in part headers.');
    this.noFilesLength += buf.length;
    if (buf.length > 1 && buf.charCodeAt(buf.length - 2) === 0x0d) this.flags.crlfLine = true;
    else this.flags.lfLine = true;

    if (buf === '\r\n' || buf === '\n') {
      this.endHeaders(part);
      return;
    }
    if (isCSpace(buf.charCodeAt(0))) {
      this.foldHeader(part, buf);
      return;
    }
    if (part.lastHeaderLine !== undefined) part.headerLines.push(part.lastHeaderLine);
    part.lastHeaderLine = chompLine(buf);
    const colon = buf.indexOf(':');
    if (colon === -1) throw new Stop(`Multipart: Invalid part header (colon missing): ${logEscape(buf)}.`);
    if (colon === 0) throw new Stop('Multipart: Invalid part header (header name missing).');
    const name = buf.slice(0, colon);
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if (c < 33 || c > 126) throw new Stop('Multipart: Invalid part header (contains invalid character).');
    }
    let v = colon + 1;
    while (buf[v] === ' ' || buf[v] === '\t') v++;
    const key = name.toLowerCase();
    if (part.headers.has(key)) throw new Stop(`Multipart: Duplicate part header: ${logEscape(name)}.`);
    part.headers.set(key, { name, value: chompLine(buf.slice(v)) });
    part.lastHeaderName = name;
  }

  private foldHeader(part: OpenPart, buf: string): void {
    this.flags.headerFolding = true;
    // RFC 2557 folding is SP / HTAB only; other whitespace is accepted but flagged.
    if (buf[0] !== '\t' && buf[0] !== ' ') this.flags.invalidHeaderFolding = true;
    if (part.lastHeaderName === undefined) throw new Stop('Multipart: Invalid part header (folding error).');
    let p = 0;
    while (p < buf.length && isCSpace(buf.charCodeAt(p))) {
      if (buf[p] !== '\t' && buf[p] !== ' ') this.flags.invalidHeaderFolding = true;
      p++;
    }
    const key = part.lastHeaderName.toLowerCase();
    const header = part.headers.get(key);
    const value = `${header?.value ?? ''} ${chompLine(buf.slice(p))}`;
    part.headers.set(key, { name: header?.name ?? part.lastHeaderName, value });
    if (value.length > MULTIPART_BUF_SIZE) throw new Stop('Multipart: Part header too long.');
    if (part.lastHeaderLine !== undefined) part.lastHeaderLine = `${part.lastHeaderName}: ${value}`;
  }

  /** The empty line after the part headers. */
  private endHeaders(part: OpenPart): void {
    const cd = part.headers.get('content-disposition');
    if (cd === undefined) throw new Stop('Multipart: Part missing Content-Disposition header.');
    const rc = this.parseContentDisposition(part, cd.value);
    if (rc < 0) {
      throw new Stop(`Multipart: Invalid Content-Disposition header (${rc}): ${logEscape(cd.value)}.`);
    }
    if (part.name === undefined) throw new Stop('Multipart: Content-Disposition header missing name field.');
    if (part.filename !== undefined) {
      // Catch parsers that would not understand this C-D while we did.
      if (!cd.value.includes('filename=')) {
        throw new Stop('Multipart: Invalid Content-Disposition header (filename).');
      }
      part.isFile = true;
    }
    this.partState = 1;
    this.partDataRead = false;
    part.lastHeaderName = undefined;
    if (part.lastHeaderLine !== undefined) part.headerLines.push(part.lastHeaderLine);
  }

  /**
   * v2 multipart_parse_content_disposition: returns 1 or a negative code.
   * Only `name` and `filename` parameters are understood (`filename*` is an error).
   */
  private parseContentDisposition(part: OpenPart, value: string): number {
    if (!value.startsWith('form-data')) return -1;
    const n = value.length;
    const skipWs = (q: number): number => {
      while (q < n && (value[q] === ' ' || value[q] === '\t')) q++;
      return q;
    };
    let p = skipWs(9);
    if (p >= n) return 1;
    if (value[p] !== ';') return -2;
    p++;
    while (p < n) {
      p = skipWs(p);
      if (p >= n) return -3;
      const nameStart = p;
      while (p < n && value[p] !== '=' && value[p] !== ' ' && value[p] !== '\t') p++;
      if (p >= n) return -4;
      const paramName = value.slice(nameStart, p);
      p = skipWs(p);
      if (p >= n) return -5;
      if (value[p] !== '=') return -13;
      p = skipWs(p + 1);
      if (p >= n) return -6;
      let quote = '';
      let paramValue = '';
      if (value[p] === '"' || value[p] === "'") {
        quote = value[p] as string;
        // Some backends accept single quotes; allowed but flagged.
        if (quote === "'") this.flags.invalidQuoting = true;
        p++;
        if (p >= n) return -7;
        while (p < n) {
          if (value[p] === '\\') {
            if (p + 1 >= n) return -8;
            // Only the quote and '\' can be escaped; other '\' are kept (IE sends them).
            if (value[p + 1] === quote || value[p + 1] === '\\') p++;
          } else if (value[p] === quote) {
            break;
          }
          paramValue += value[p];
          p++;
        }
        if (p >= n) return -10;
        p++;
      } else {
        const valueStart = p;
        while (p < n && isTokenChar(value.charCodeAt(p))) p++;
        paramValue = value.slice(valueStart, p);
      }
      if (paramName === 'name') {
        this.checkQuotes(paramValue, quote);
        this.multipartName = paramValue;
        if (part.name !== undefined) return -14;
        part.name = paramValue;
      } else if (paramName === 'filename') {
        this.checkQuotes(paramValue, quote);
        this.multipartFilename = paramValue;
        if (part.filename !== undefined) return -15;
        part.filename = paramValue;
      } else {
        return -11;
      }
      if (p < n) {
        p = skipWs(p);
        if (p >= n) return 1;
        if (value[p] !== ';') {
          if (value[p - 1] === "'" || value[p - 1] === '"') this.flags.invalidQuoting = true;
          return -12;
        }
        p++;
      }
    }
    return 1;
  }

  /** A single quote inside a value not enclosed in double quotes is invalid quoting. */
  private checkQuotes(value: string, quote: string): void {
    if (quote !== '"' && value.includes("'")) this.flags.invalidQuoting = true;
  }

  private processData(part: OpenPart, buf: string): void {
    this.partDataRead = true;
    // The line ending is held back: if a boundary follows, it belongs to it.
    let held = 0;
    if (buf.endsWith('\r\n')) held = 2;
    else if (buf.endsWith('\n')) held = 1;
    const data = this.reserve + buf.slice(0, buf.length - held);
    if (part.isFile) {
      if (this.fileLimit !== undefined) {
        if (this.nfiles >= this.fileLimit) this.flags.fileLimitExceeded = true;
        else if (!part.hasTmpFile) {
          part.hasTmpFile = true;
          this.nfiles++;
        }
      }
    } else {
      this.noFilesLength += data.length;
    }
    if (data.length > 0) part.chunks.push(data);
    part.length += data.length;
    this.reserve = held === 0 ? '' : buf.slice(buf.length - held);
  }

  /** A boundary: finish the current part, start a new one unless final. */
  private closePart(final: boolean): void {
    const part = this.part;
    if (part !== undefined) {
      if (part.name !== undefined) {
        const value = part.chunks.join('');
        const headers = [...part.headers.values()].map((h) => ({ name: h.name, value: h.value }));
        this.parts.push({
          name: part.name,
          isFile: part.isFile,
          filename: part.isFile ? part.filename : undefined,
          value,
          size: value.length,
          contentType: part.headers.get('content-type')?.value,
          headers,
          headerLines: part.headerLines,
        });
      } else {
        this.flags.invalidPart = true;
      }
      this.part = undefined;
    }
    if (!final) {
      this.part = newPart();
      this.partState = 0;
      this.partDataRead = false;
      this.reserve = '';
    }
  }
}

function noFlags(): MultipartFlags {
  return {
    error: false,
    boundaryQuoted: false,
    boundaryWhitespace: false,
    dataBefore: false,
    dataAfter: false,
    headerFolding: false,
    lfLine: false,
    crlfLine: false,
    missingSemicolon: false,
    invalidQuoting: false,
    invalidPart: false,
    invalidHeaderFolding: false,
    fileLimitExceeded: false,
    unmatchedBoundary: false,
  };
}

/** MULTIPART_STRICT_ERROR: any flag but CRLF_LINE and UNMATCHED_BOUNDARY. */
export function isStrictError(f: Readonly<MultipartFlags>): boolean {
  return (
    f.error ||
    f.boundaryQuoted ||
    f.boundaryWhitespace ||
    f.dataBefore ||
    f.dataAfter ||
    f.headerFolding ||
    f.lfLine ||
    f.missingSemicolon ||
    f.invalidQuoting ||
    f.invalidPart ||
    f.invalidHeaderFolding ||
    f.fileLimitExceeded
  );
}

export function parseMultipart(
  body: string,
  contentType: string | undefined,
  options: MultipartOptions = {},
): MultipartResult {
  const flags = noFlags();
  let parser: MultipartParser | undefined;
  let reqbodyError: string | undefined;
  try {
    parser = new MultipartParser(flags, parseBoundary(contentType, flags), options);
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    flags.error = true;
    // v2 keeps the init message without the "Multipart parsing error" prefix.
    reqbodyError = e.message;
  }
  if (parser !== undefined && body.length > 0) {
    try {
      parser.process(body);
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
      // v2 raises flag_error for errors while scanning, not at the end of the body.
      if (e.flagsError) flags.error = true;
      reqbodyError = `Multipart parsing error: ${e.message}`;
    }
  }
  const parts = parser?.parts ?? [];
  const files = parts.filter((p) => p.isFile);
  const partHeaders: ArgPair[] = [];
  for (const p of parts) for (const line of p.headerLines) partHeaders.push({ name: p.name, value: line });
  return {
    args: reqbodyError === undefined ? parts.filter((p) => !p.isFile).map((p) => ({ name: p.name, value: p.value })) : [],
    parts,
    files,
    filesCombinedSize: files.reduce((sum, f) => sum + f.size, 0),
    partHeaders,
    multipartName: parser?.multipartName,
    multipartFilename: parser?.multipartFilename,
    flags,
    strictError: isStrictError(flags),
    crlfLfLines: flags.crlfLine && flags.lfLine,
    reqbodyError,
    noFilesLength: parser?.noFilesLength ?? 0,
  };
}

/** The MULTIPART_* single variables ('0'/'1') by their SecLang names. */
export function multipartVariables(r: MultipartResult): Record<string, string> {
  const f = r.flags;
  const b = (v: boolean): string => (v ? '1' : '0');
  return {
    MULTIPART_STRICT_ERROR: b(r.strictError),
    MULTIPART_BOUNDARY_QUOTED: b(f.boundaryQuoted),
    MULTIPART_BOUNDARY_WHITESPACE: b(f.boundaryWhitespace),
    MULTIPART_DATA_BEFORE: b(f.dataBefore),
    MULTIPART_DATA_AFTER: b(f.dataAfter),
    MULTIPART_HEADER_FOLDING: b(f.headerFolding),
    MULTIPART_LF_LINE: b(f.lfLine),
    MULTIPART_CRLF_LINE: b(f.crlfLine),
    MULTIPART_CRLF_LF_LINES: b(r.crlfLfLines),
    MULTIPART_MISSING_SEMICOLON: b(f.missingSemicolon),
    MULTIPART_INVALID_QUOTING: b(f.invalidQuoting),
    MULTIPART_INVALID_PART: b(f.invalidPart),
    MULTIPART_INVALID_HEADER_FOLDING: b(f.invalidHeaderFolding),
    MULTIPART_FILE_LIMIT_EXCEEDED: b(f.fileLimitExceeded),
    MULTIPART_UNMATCHED_BOUNDARY: b(f.unmatchedBoundary),
  };
}
