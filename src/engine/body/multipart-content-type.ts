/**
 * The boundary from a multipart Content-Type header, as ModSecurity v2's
 * multipart_init checks it: one `boundary` parameter (found case-sensitively),
 * at most one ';' before it, whitespace around '=' flagged
 * (MULTIPART_BOUNDARY_WHITESPACE), a quoted value flagged
 * (MULTIPART_BOUNDARY_QUOTED), everything after '=' taken as the boundary and
 * checked against the RFC 2046 characters. Errors throw MultipartStop with
 * v2's message (REQBODY_ERROR_MSG).
 *
 * Example: `parseBoundary('multipart/form-data; boundary="b"', flags)` →
 * `{boundary: 'b', quoted: true}` and `flags.boundaryQuoted`.
 */
import { isCSpace, type MultipartFlags, MultipartStop } from './multipart-common.ts';

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

export interface BoundarySpec {
  readonly boundary: string;
  readonly quoted: boolean;
}

/** Extracts the boundary from the Content-Type as v2's multipart_init; throws Stop. */
export function parseBoundary(contentType: string | undefined, flags: MultipartFlags): BoundarySpec {
  if (contentType === undefined) throw new MultipartStop('Multipart: Content-Type header not available.');
  if (contentType.length > 1024) throw new MultipartStop('Multipart: Invalid boundary in C-T (length).');
  if (contentType.slice(0, 19).toLowerCase() !== 'multipart/form-data') {
    throw new MultipartStop('Multipart: Invalid MIME type.');
  }
  if (countBoundaryParams(contentType) > 1) throw new MultipartStop('Multipart: Multiple boundary parameters in C-T.');
  // v2 looks for the parameter name case-sensitively.
  const at = contentType.indexOf('boundary');
  if (at === -1) {
    if (countBoundaryParams(contentType) > 0) {
      throw new MultipartStop('Multipart: Invalid boundary in C-T (case sensitivity).');
    }
    throw new MultipartStop('Multipart: Boundary not found in C-T.');
  }
  let seenSemicolon = false;
  for (let p = 19; p < at; p++) {
    const c = contentType.charCodeAt(p);
    if (isCSpace(c)) continue;
    if (!seenSemicolon && c === 0x3b) seenSemicolon = true;
    else throw new MultipartStop('Multipart: Invalid boundary in C-T (malformed).');
  }
  if (!seenSemicolon) flags.missingSemicolon = true;
  const eq = contentType.indexOf('=', at + 8);
  if (eq === -1) throw new MultipartStop('Multipart: Invalid boundary in C-T (malformed).');
  for (let p = at + 8; p < eq; p++) {
    if (isCSpace(contentType.charCodeAt(p))) flags.boundaryWhitespace = true;
    else throw new MultipartStop('Multipart: Invalid boundary in C-T (parameter name).');
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
      throw new MultipartStop('Multipart: Invalid boundary in C-T (quote).');
    }
    boundary = b;
  }
  if (countBoundaryParams(boundary) !== 0) throw new MultipartStop('Multipart: Invalid boundary in C-T (content).');
  if (!boundaryCharsValid(boundary)) throw new MultipartStop('Multipart: Invalid boundary in C-T (characters).');
  if (boundary.length === 0) throw new MultipartStop('Multipart: Invalid boundary in C-T (empty).');
  return { boundary, quoted };
}
