/**
 * Request cookie parsing as ModSecurity v2 does it for `SecCookieFormat 0`
 * (`parse_cookies_v0`): the header is split on `;` (or on `,` when there is no
 * `;` and a comma is followed by a space), leading whitespace of each name is
 * skipped, the first `=` splits name from value (no `=`: value ''), and
 * cookies with an empty name are dropped. Values are kept verbatim.
 *
 * Example: `a=1; b=x=y;c` → a=1, b=x=y, c=''.
 */
export function parseCookies(header: string, add: (name: string, value: string) => void): void {
  let delimiter = ';';
  if (header.indexOf(';') === -1) {
    const comma = header.indexOf(',');
    if (comma !== -1 && header.charCodeAt(comma + 1) === 0x20) delimiter = ',';
  }
  // Walks the parts in place: no array of parts, one substring per name and value.
  const n = header.length;
  let from = 0;
  while (from <= n) {
    let end = header.indexOf(delimiter, from);
    if (end === -1) end = n;
    let start = from;
    while (start < end && isSpace(header.charCodeAt(start))) start++;
    from = end + 1;
    if (start === end) continue;
    const eq = header.indexOf('=', start);
    if (eq === -1 || eq >= end) {
      add(header.slice(start, end), '');
    } else if (eq > start) {
      add(header.slice(start, eq), header.slice(eq + 1, end));
    }
  }
}

/** C isspace(): space, \t, \n, \v, \f, \r. */
export function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

/** `SecCookieFormat 1` (version 1 cookies): quoted values are unquoted, `$`-attributes kept as cookies. */
export function parseCookiesV1(header: string, add: (name: string, value: string) => void): void {
  parseCookies(header, (name, value) => {
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) add(name, value.slice(1, -1));
    else add(name, value);
  });
}
