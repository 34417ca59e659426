/**
 * picket's own request-line and Host checks, made after node has parsed the
 * head (docs/http-parsing.md gives the reasons). Pure functions.
 *
 * - forwardPathOf: origin-form passes; absolute-form (RFC 9112 §3.2.2, which
 *   a server MUST accept) is reduced to its path and query for the upstream;
 *   anything else (`*`, authority-form, a fragment) is refused.
 * - validHost: a DNS-style name or IP literal with an optional port. Stricter
 *   than RFC 3986's reg-name (no percent-encoding, no sub-delims): picket
 *   routes on Host and the application trusts it, and no real host name needs
 *   those characters, so `localhost%00` is refused instead of routed.
 */

/** `http(s)://authority` followed by an optional path and query, no fragment. */
const ABSOLUTE = /^https?:\/\/([^/?#]*)([^#]*)$/i;
const HOST = /^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::\d{0,5})?$/;

/**
 * The request-target to forward, or null when it is not a form a reverse
 * proxy accepts. `OPTIONS *` (asking the server itself) is refused too: it
 * names no resource of the application, and undici cannot send it. A '#'
 * fragment is never part of a request-target (RFC 9112 §3.2): refused.
 */
export function forwardPathOf(target: string): string | null {
  if (target.includes('#')) return null;
  if (target.startsWith('/')) return target;
  const match = ABSOLUTE.exec(target);
  if (!match || !validHost(match[1]!)) return null;
  const rest = match[2]!;
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** The authority of an absolute-form target (the host the client names, RFC 9112 §3.2.2), else undefined. */
export function absoluteAuthority(target: string): string | undefined {
  return ABSOLUTE.exec(target)?.[1];
}

/** Whether a Host value (or absolute-form authority) is one picket routes on. */
export function validHost(value: string): boolean {
  return HOST.test(value);
}

/** CONNECT's authority-form: host and a port, both required (RFC 9110 §9.3.6). */
export function validConnectTarget(target: string): boolean {
  return /:\d{1,5}$/.test(target) && validHost(target);
}
