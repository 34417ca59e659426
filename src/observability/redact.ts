/**
 * Size caps and credential redaction for data that came from the client.
 * Logs and the audit log never carry credentials, and never an unbounded
 * attacker-chosen string: a capped value ends in TRUNCATION_MARK and the
 * caller records that it was cut.
 */

/** Headers whose values are credentials. Names compare lower-cased. */
export const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  'authorization', 'proxy-authorization', 'cookie', 'set-cookie',
]);

/** go-ftw's test marker: always kept verbatim so the CRS runner can find its transaction. */
export const TEST_MARKER_HEADER = 'x-crs-test';

export const REDACTED = '[redacted]';
export const TRUNCATION_MARK = '…[truncated]';

export interface Capped {
  readonly value: string;
  /** Original length when cut, else undefined. */
  readonly truncatedFrom?: number;
}

export function cap(value: string, max: number): Capped {
  if (value.length <= max) return { value };
  return { value: value.slice(0, max) + TRUNCATION_MARK, truncatedFrom: value.length };
}

/** Credential headers replaced by REDACTED; every other header kept, in order. */
export function redactHeaders(headers: readonly (readonly [string, string])[]): [string, string][] {
  return headers.map(([name, value]) => [name, CREDENTIAL_HEADERS.has(name.toLowerCase()) ? REDACTED : value]);
}

/** The X-CRS-Test marker value, if the request carried one. */
export function testMarker(headers: readonly (readonly [string, string])[]): string | undefined {
  return headers.find(([name]) => name.toLowerCase() === TEST_MARKER_HEADER)?.[1];
}
