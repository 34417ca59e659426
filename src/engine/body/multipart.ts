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
import {
  isCSpace,
  isStrictError,
  logEscape,
  MULTIPART_BUF_SIZE,
  type MultipartFlags,
  type MultipartOptions,
  type MultipartPart,
  type MultipartResult,
  MultipartStop,
  noFlags,
} from './multipart-common.ts';
import { type BoundarySpec, parseBoundary } from './multipart-content-type.ts';
import { parseContentDisposition } from './multipart-disposition.ts';
import type { ArgPair } from './types.ts';

export {
  isStrictError,
  MULTIPART_BUF_SIZE,
  type MultipartFlags,
  type MultipartOptions,
  type MultipartPart,
  type MultipartResult,
} from './multipart-common.ts';

/** Drops one trailing "\n" or "\r\n" (v2 remove_lf_crlf_inplace). */
function chompLine(s: string): string {
  if (s.endsWith('\r\n')) return s.slice(0, -2);
  if (s.endsWith('\n')) return s.slice(0, -1);
  return s;
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

  /** Feeds the whole body; throws MultipartStop on the first error. */
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
    if (this.boundaryCount === 0) throw new MultipartStop('Multipart: No boundaries found in payload.', false);
    if (this.bufContainsLine && leftover === `--${this.boundary}--`) {
      if (this.prevBufEndedLf) this.flags.lfLine = true;
      // It looks like the final boundary, but part data should begin there.
      if (!this.partDataRead) this.flags.invalidPart = true;
      this.closePart(true);
      this.isComplete = true;
      return;
    }
    throw new MultipartStop('Multipart: Final boundary missing.', false);
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
            if (this.isComplete) throw new MultipartStop('Multipart: Invalid boundary (final duplicate).');
          }
          const rest = cstr.slice(at);
          if (rest !== '\r\n' && rest !== '\n') throw new MultipartStop(`Multipart: Invalid boundary: ${logEscape(buf)}`);
          if (rest === '\n') this.flags.lfLine = true;
          else this.flags.crlfLine = true;
          this.closePart(isFinal);
          if (isFinal) this.isComplete = true;
          asBoundary = true;
          this.boundaryCount++;
        }
      } else {
        if (this.boundaryQuoted && clen >= boundary.length + 3 && buf[2] === '"' && buf.startsWith(boundary, 3)) {
          throw new MultipartStop('Multipart: Invalid boundary (quotes).');
        }
        let p = 2;
        while (p < buf.length && isCSpace(buf.charCodeAt(p))) p++;
        if (p !== 2 && buf.startsWith(boundary, p)) throw new MultipartStop('Multipart: Invalid boundary (whitespace).');
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
      if (full) throw new MultipartStop(`Multipart: Part header line over ${MULTIPART_BUF_SIZE} bytes long`);
      this.processHeaderLine(this.part, buf);
    } else {
      this.processData(this.part, buf);
    }
  }

  private processHeaderLine(part: OpenPart, buf: string): void {
    if (buf.includes('\0')) throw new MultipartStop('Multipart: Nul byte in part headers.');
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
    if (colon === -1) throw new MultipartStop(`Multipart: Invalid part header (colon missing): ${logEscape(buf)}.`);
    if (colon === 0) throw new MultipartStop('Multipart: Invalid part header (header name missing).');
    const name = buf.slice(0, colon);
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if (c < 33 || c > 126) throw new MultipartStop('Multipart: Invalid part header (contains invalid character).');
    }
    let v = colon + 1;
    while (buf[v] === ' ' || buf[v] === '\t') v++;
    const key = name.toLowerCase();
    if (part.headers.has(key)) throw new MultipartStop(`Multipart: Duplicate part header: ${logEscape(name)}.`);
    part.headers.set(key, { name, value: chompLine(buf.slice(v)) });
    part.lastHeaderName = name;
  }

  private foldHeader(part: OpenPart, buf: string): void {
    this.flags.headerFolding = true;
    // RFC 2557 folding is SP / HTAB only; other whitespace is accepted but flagged.
    if (buf[0] !== '\t' && buf[0] !== ' ') this.flags.invalidHeaderFolding = true;
    if (part.lastHeaderName === undefined) throw new MultipartStop('Multipart: Invalid part header (folding error).');
    let p = 0;
    while (p < buf.length && isCSpace(buf.charCodeAt(p))) {
      if (buf[p] !== '\t' && buf[p] !== ' ') this.flags.invalidHeaderFolding = true;
      p++;
    }
    const key = part.lastHeaderName.toLowerCase();
    const header = part.headers.get(key);
    const value = `${header?.value ?? ''} ${chompLine(buf.slice(p))}`;
    part.headers.set(key, { name: header?.name ?? part.lastHeaderName, value });
    if (value.length > MULTIPART_BUF_SIZE) throw new MultipartStop('Multipart: Part header too long.');
    if (part.lastHeaderLine !== undefined) part.lastHeaderLine = `${part.lastHeaderName}: ${value}`;
  }

  /** The empty line after the part headers. */
  private endHeaders(part: OpenPart): void {
    const cd = part.headers.get('content-disposition');
    if (cd === undefined) throw new MultipartStop('Multipart: Part missing Content-Disposition header.');
    const rc = parseContentDisposition(cd.value, part, this);
    if (rc < 0) {
      throw new MultipartStop(`Multipart: Invalid Content-Disposition header (${rc}): ${logEscape(cd.value)}.`);
    }
    if (part.name === undefined) throw new MultipartStop('Multipart: Content-Disposition header missing name field.');
    if (part.filename !== undefined) {
      // Catch parsers that would not understand this C-D while we did.
      if (!cd.value.includes('filename=')) {
        throw new MultipartStop('Multipart: Invalid Content-Disposition header (filename).');
      }
      part.isFile = true;
    }
    this.partState = 1;
    this.partDataRead = false;
    part.lastHeaderName = undefined;
    if (part.lastHeaderLine !== undefined) part.headerLines.push(part.lastHeaderLine);
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
    if (!(e instanceof MultipartStop)) throw e;
    flags.error = true;
    // v2 keeps the init message without the "Multipart parsing error" prefix.
    reqbodyError = e.message;
  }
  if (parser !== undefined && body.length > 0) {
    try {
      parser.process(body);
    } catch (e) {
      if (!(e instanceof MultipartStop)) throw e;
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
