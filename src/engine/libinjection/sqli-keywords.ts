/**
 * The SQLi keyword table: upper-case word or phrase → token type, plus every
 * fingerprint as `'0' + FINGERPRINT.toUpperCase()` → `F` (the layout of the C
 * library's `sql_keywords`, which serves both word and fingerprint lookups).
 *
 * Lookups take a range of a byte string and upper-case only `a`-`z` as they
 * hash, so the hot path allocates nothing. Keys are printable ASCII: a byte
 * that is NUL or above 0x7f never matches, as in the C binary search.
 */
import { FINGERPRINTS, KEYWORDS } from './sqli-data.ts';
import { T_FINGERPRINT } from './sqli-types.ts';

const BITS = 15;
/** Number of slots: indexes returned by `fingerprintSlot` are below it. */
export const TABLE_SIZE = 1 << BITS;
const SIZE = TABLE_SIZE;
const MASK = SIZE - 1;
/** Longer keys than this are not in the table. */
let maxKeyLen = 0;

const keys: string[] = new Array<string>(SIZE).fill('');
const types = new Uint8Array(SIZE);

/** `a`-`z` → `A`-`Z`; 0 for NUL and non-ASCII, which end a lookup as "absent". */
const UPPER = new Uint8Array(256);
for (let c = 1; c < 128; c++) UPPER[c] = c >= 0x61 && c <= 0x7a ? c - 0x20 : c;

function mix(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

function insert(key: string, type: number): void {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < key.length; i++) h = mix(h, key.charCodeAt(i));
  let slot = (h ^ (h >>> BITS)) & MASK;
  while (keys[slot] !== '' && keys[slot] !== key) slot = (slot + 1) & MASK;
  keys[slot] = key;
  types[slot] = type;
  if (key.length > maxKeyLen) maxKeyLen = key.length;
}

/**
 * Phrase pre-filter: bit (first byte of the first part) × (first byte of the
 * second part) for every split of every phrase at a space, so most word
 * pairs are rejected without hashing.
 */
const PHRASE_PAIRS = new Uint8Array(128 * 128);

for (const [word, type] of KEYWORDS) {
  insert(word, type.charCodeAt(0));
  for (let i = word.indexOf(' '); i > 0 && i + 1 < word.length; i = word.indexOf(' ', i + 1)) {
    PHRASE_PAIRS[word.charCodeAt(0) * 128 + word.charCodeAt(i + 1)] = 1;
  }
}
for (const fp of FINGERPRINTS) {
  let upper = '0';
  for (let i = 0; i < fp.length; i++) upper += String.fromCharCode(UPPER[fp.charCodeAt(i)] ?? 0);
  insert(upper, T_FINGERPRINT);
}

/**
 * Type of the word `src[off, off+len)` matched case-insensitively (ASCII
 * letters only), or 0 when it is not in the table.
 */
export function lookupWord(src: string, off: number, len: number): number {
  if (len === 0 || len > maxKeyLen) return 0;
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < len; i++) {
    const c = src.charCodeAt(off + i);
    const u = c < 256 ? (UPPER[c] as number) : 0;
    if (u === 0) return 0;
    h = mix(h, u);
  }
  let slot = (h ^ (h >>> BITS)) & MASK;
  for (;;) {
    const key = keys[slot] as string;
    if (key === '') return 0;
    if (key.length === len) {
      let i = 0;
      while (i < len && key.charCodeAt(i) === UPPER[src.charCodeAt(off + i)]) i++;
      if (i === len) return types[slot] as number;
    }
    slot = (slot + 1) & MASK;
  }
}

/**
 * Type of the phrase `a + ' ' + b` (two token values), without building it;
 * 0 when absent. Used to fold `UNION` `ALL` into `UNION ALL`.
 */
export function lookupPhrase(
  aSrc: string,
  aOff: number,
  aLen: number,
  bSrc: string,
  bOff: number,
  bLen: number,
): number {
  const len = aLen + 1 + bLen;
  if (len > maxKeyLen || aLen === 0 || bLen === 0) return 0;
  const a0 = UPPER[aSrc.charCodeAt(aOff) & 0xff] as number;
  const b0 = UPPER[bSrc.charCodeAt(bOff) & 0xff] as number;
  if (PHRASE_PAIRS[a0 * 128 + b0] === 0) return 0;
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < aLen; i++) {
    const c = aSrc.charCodeAt(aOff + i);
    const u = c < 256 ? (UPPER[c] as number) : 0;
    if (u === 0) return 0;
    h = mix(h, u);
  }
  h = mix(h, 0x20);
  for (let i = 0; i < bLen; i++) {
    const c = bSrc.charCodeAt(bOff + i);
    const u = c < 256 ? (UPPER[c] as number) : 0;
    if (u === 0) return 0;
    h = mix(h, u);
  }
  let slot = (h ^ (h >>> BITS)) & MASK;
  for (;;) {
    const key = keys[slot] as string;
    if (key === '') return 0;
    if (key.length === len && key.charCodeAt(aLen) === 0x20) {
      let i = 0;
      while (i < aLen && key.charCodeAt(i) === UPPER[aSrc.charCodeAt(aOff + i)]) i++;
      if (i === aLen) {
        let j = 0;
        while (j < bLen && key.charCodeAt(aLen + 1 + j) === UPPER[bSrc.charCodeAt(bOff + j)]) j++;
        if (j === bLen) return types[slot] as number;
      }
    }
    slot = (slot + 1) & MASK;
  }
}

/**
 * Where the fingerprint made of `fp[0, len)` (token types) is in the table
 * (a stable index, for caching), or -1 when it is not a published SQLi
 * fingerprint. Matching is on the upper-cased form, as in the C library (so
 * `t` and `T` are one).
 */
export function fingerprintSlot(fp: Uint8Array, len: number): number {
  let h = mix(0x811c9dc5 | 0, 0x30);
  for (let i = 0; i < len; i++) {
    const u = UPPER[fp[i] as number] as number;
    if (u === 0) return -1;
    h = mix(h, u);
  }
  let slot = (h ^ (h >>> BITS)) & MASK;
  for (;;) {
    const key = keys[slot] as string;
    if (key === '') return -1;
    if (key.length === len + 1 && key.charCodeAt(0) === 0x30) {
      let i = 0;
      while (i < len && key.charCodeAt(i + 1) === UPPER[fp[i] as number]) i++;
      if (i === len) return types[slot] === T_FINGERPRINT ? slot : -1;
    }
    slot = (slot + 1) & MASK;
  }
}
