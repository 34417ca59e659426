/**
 * Shared pieces of the multipart processor: result types, the anomaly flags,
 * the internal stop signal and byte helpers. See multipart.ts.
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

/** Thrown inside the multipart parser to stop at the first error; never escapes parseMultipart. */
export class MultipartStop {
  readonly message: string;
  /** Whether v2 raises flag_error (MULTIPART_STRICT_ERROR) for this error. */
  readonly flagsError: boolean;
  constructor(message: string, flagsError = true) {
    this.message = message;
    this.flagsError = flagsError;
  }
}

/** C isspace(): SP, HT, LF, VT, FF, CR. */
export function isCSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
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

/** All flags down. */
export function noFlags(): MultipartFlags {
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
