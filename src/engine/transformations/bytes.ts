/**
 * Byte helpers shared by transformations and operators.
 *
 * Values are byte strings (one char per byte). These helpers reproduce the C
 * library behaviour ModSecurity relies on in the "C" locale (isspace, isalnum,
 * tolower) and its own hex conversion (`x2c`), so edge cases decode the same way.
 */

/** One-character strings for every byte, to avoid String.fromCharCode in hot loops. */
export const CHR: readonly string[] = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i));

/** `VALID_HEX` in ModSecurity: 0-9, a-f, A-F. */
export function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** C `isspace` in the "C" locale: space, \t, \n, \v, \f, \r. */
export function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

export function isOctal(c: number): boolean {
  return c >= 0x30 && c <= 0x37;
}

/** C `isalnum` in the "C" locale (ASCII letters and digits only). */
export function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Value of one hex digit, with ModSecurity's arithmetic for non-hex input (`xsingle2c`). */
export function hexDigit(c: number): number {
  return (c >= 0x41 ? ((c & 0xdf) - 0x41 + 10) : (c - 0x30)) & 0xff;
}

/**
 * ModSecurity `x2c`: two hex digits to a byte. It does not validate, so
 * callers that need validation check `isHex` first (hexDecode does not).
 */
export function x2c(hi: number, lo: number): number {
  return ((hexDigit(hi) * 16) + hexDigit(lo)) & 0xff;
}

/** Byte string up to (not including) the first NUL, as C's strlen() would see it. */
export function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul === -1 ? s : s.slice(0, nul);
}

/** Index of the first occurrence of either character, or -1. */
export function indexOfEither(s: string, a: string, b: string): number {
  const i = s.indexOf(a);
  const j = s.indexOf(b);
  if (i === -1) return j;
  if (j === -1) return i;
  return i < j ? i : j;
}
