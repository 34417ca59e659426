/**
 * Splits a raw request-target as Apache does for ModSecurity v2: the target is
 * parsed by `apr_uri_parse`, then Apache percent-decodes the path in place
 * (`ap_unescape_url` on `parsed_uri.path`) before ModSecurity's phase 1 runs (it
 * runs in the fixups hook unless built with REQUEST_EARLY). Hence:
 * REQUEST_FILENAME / REQUEST_BASENAME are the percent-decoded path (`+` stays,
 * invalid `%` sequences stay as they are), REQUEST_URI is decoded path + `?` +
 * raw query, QUERY_STRING is raw, the fragment is dropped, and an absolute-form
 * target (`http://host/p`) loses its scheme and authority. REQUEST_URI_RAW is the
 * target as received. (libmodsecurity v3 decodes REQUEST_FILENAME the same way.)
 *
 * Example: `/a%20b/c.php?x=%41#f` → path `/a b/c.php`, query `x=%41`, basename `c.php`.
 */
export interface ParsedUri {
  readonly path: string;
  /** null when there is no `?` at all (REQUEST_URI then has no `?`). */
  readonly query: string | null;
  readonly basename: string;
}

export function parseUri(raw: string): ParsedUri {
  let rest = raw;
  const hash = rest.indexOf('#');
  if (hash !== -1) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  let path = q === -1 ? rest : rest.slice(0, q);
  const query = q === -1 ? null : rest.slice(q + 1);
  // absolute-form: scheme "://" authority path
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(path);
  if (scheme) {
    const afterAuthority = path.indexOf('/', scheme[0].length);
    path = afterAuthority === -1 ? '' : path.slice(afterAuthority);
  }
  const decoded = percentDecode(path);
  return { path: decoded, query, basename: basename(decoded) };
}

function hex(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** `%XX` → byte; anything else (including `+` and bad escapes) unchanged. */
export function percentDecode(text: string): string {
  if (text.indexOf('%') === -1) return text;
  let out = '';
  let start = 0;
  for (let i = 0; i + 2 < text.length; i++) {
    if (text.charCodeAt(i) !== 0x25) continue;
    const hi = hex(text.charCodeAt(i + 1));
    const lo = hex(text.charCodeAt(i + 2));
    if (hi < 0 || lo < 0) continue;
    out += text.slice(start, i) + String.fromCharCode(hi * 16 + lo);
    i += 2;
    start = i + 1;
  }
  return out + text.slice(start);
}

/** ModSecurity's file_basename(): text after the last `/`, else after the last `\`. */
function basename(path: string): string {
  let i = path.lastIndexOf('/');
  if (i === -1) i = path.lastIndexOf('\\');
  return i === -1 ? path : path.slice(i + 1);
}
