/**
 * The Content-Disposition header of a multipart part, parsed as ModSecurity
 * v2's multipart_parse_content_disposition does: `form-data` then `;`-separated
 * `name` and `filename` parameters (any other parameter, `filename*` included,
 * is an error), values quoted with '"' or "'" (single quotes and stray quotes
 * raise MULTIPART_INVALID_QUOTING), only the quote and '\\' escapable inside
 * quotes, unquoted values limited to token characters. Every `name=` and
 * `filename=` seen becomes MULTIPART_NAME / MULTIPART_FILENAME.
 *
 * Returns 1, or v2's negative code for the error message
 * ("Invalid Content-Disposition header (<code>)").
 *
 * Example: `form-data; name="a"; filename="x.txt"` → 1, name 'a', filename 'x.txt'.
 */
import type { MultipartFlags } from './multipart-common.ts';

/** The part whose name and filename are being set. */
export interface DispositionTarget {
  name: string | undefined;
  filename: string | undefined;
}

/** Where flags and MULTIPART_NAME / MULTIPART_FILENAME go. */
export interface DispositionSink {
  readonly flags: MultipartFlags;
  multipartName: string | undefined;
  multipartFilename: string | undefined;
}

/** RFC 2616 token characters, as v2's is_token_char. */
function isTokenChar(code: number): boolean {
  if (code <= 32 || code >= 127) return false;
  return !'()<>@,;:\\"/[]?='.includes(String.fromCharCode(code));
}

/** A single quote inside a value not enclosed in double quotes is invalid quoting. */
function checkQuotes(sink: DispositionSink, value: string, quote: string): void {
  if (quote !== '"' && value.includes("'")) sink.flags.invalidQuoting = true;
}

/** Parses `value` into `part` (name, filename) and `sink`; returns 1 or a negative v2 code. */
export function parseContentDisposition(value: string, part: DispositionTarget, sink: DispositionSink): number {
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
      if (quote === "'") sink.flags.invalidQuoting = true;
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
      checkQuotes(sink, paramValue, quote);
      sink.multipartName = paramValue;
      if (part.name !== undefined) return -14;
      part.name = paramValue;
    } else if (paramName === 'filename') {
      checkQuotes(sink, paramValue, quote);
      sink.multipartFilename = paramValue;
      if (part.filename !== undefined) return -15;
      part.filename = paramValue;
    } else {
      return -11;
    }
    if (p < n) {
      p = skipWs(p);
      if (p >= n) return 1;
      if (value[p] !== ';') {
        if (value[p - 1] === "'" || value[p - 1] === '"') sink.flags.invalidQuoting = true;
        return -12;
      }
      p++;
    }
  }
  return 1;
}
