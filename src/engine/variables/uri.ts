/**
 * Splits a raw request-target as Apache's `apr_uri_parse` does for ModSecurity
 * v2: REQUEST_FILENAME is the raw (not percent-decoded) path, QUERY_STRING the
 * raw text after the first `?`, the fragment is dropped, and an absolute-form
 * target (`http://host/p`) loses its scheme and authority. REQUEST_URI is
 * path + `?` + query; REQUEST_URI_RAW is the target as received.
 *
 * Example: `/a%20b/c.php?x=1#f` → path `/a%20b/c.php`, query `x=1`, basename `c.php`.
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
  return { path, query, basename: basename(path) };
}

/** ModSecurity's file_basename(): text after the last `/`, else after the last `\`. */
function basename(path: string): string {
  let i = path.lastIndexOf('/');
  if (i === -1) i = path.lastIndexOf('\\');
  return i === -1 ? path : path.slice(i + 1);
}
