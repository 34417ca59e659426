/**
 * The SQLi keyword tables: upper-case word or phrase → token type, and the
 * set of SQLi fingerprints (the C library's `sql_keywords` holds both, the
 * fingerprints as `'0' + FINGERPRINT`; two tables give the same answers).
 *
 * Lookups take a range of a byte string and upper-case only `a`-`z` as they
 * hash, so the hot path allocates nothing. Keys are printable ASCII: a byte
 * that is NUL or above 0x7f never matches, as in the C binary search.
 */
import { FINGERPRINTS, KEYWORDS } from './sqli-data.ts';

/** `a`-`z` → `A`-`Z`; 0 for NUL and non-ASCII, which end a lookup as "absent". */
const UPPER = new Uint8Array(256);
for (let c = 1; c < 128; c++) UPPER[c] = c >= 0x61 && c <= 0x7a ? c - 0x20 : c;

const SEED = 0x811c9dc5 | 0;

function mix(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

/**
 * An open-addressing hash table of upper-case ASCII keys, all in typed
 * arrays: a lookup that misses (most bare words do) touches one or two cache
 * lines, where a sparse array of key strings cost a cache miss or two.
 */
interface KeyTable {
  /** Key length per slot; 0 marks an empty slot. */
  readonly len: Uint8Array;
  /** Offset of the key's bytes in `bytes`. */
  readonly start: Int32Array;
  readonly type: Uint8Array;
  readonly bytes: Uint8Array;
  readonly maxLen: number;
}

function slotOf(h: number, bits: number): number {
  return (h ^ (h >>> bits)) & ((1 << bits) - 1);
}

/** Builds a table of `bits` bits; a repeated key keeps its last type. */
function buildTable(entries: ReadonlyArray<readonly [string, number]>, bits: number): KeyTable {
  const size = 1 << bits;
  if (entries.length * 2 > size) throw new Error(`keyword table of ${size} slots is too small`);
  const len = new Uint8Array(size);
  const start = new Int32Array(size);
  const type = new Uint8Array(size);
  const bytes = new Uint8Array(entries.reduce((n, [key]) => n + key.length, 0));
  let used = 0;
  let maxLen = 0;
  for (const [key, t] of entries) {
    let h = SEED;
    for (let i = 0; i < key.length; i++) h = mix(h, key.charCodeAt(i));
    let slot = slotOf(h, bits);
    for (;;) {
      if (len[slot] === 0) {
        len[slot] = key.length;
        start[slot] = used;
        for (let i = 0; i < key.length; i++) bytes[used + i] = key.charCodeAt(i);
        used += key.length;
        break;
      }
      const at = start[slot] as number;
      if (len[slot] === key.length && key.split('').every((ch, i) => bytes[at + i] === ch.charCodeAt(0))) break;
      slot = (slot + 1) & (size - 1);
    }
    type[slot] = t;
    if (key.length > maxLen) maxLen = key.length;
  }
  return { len, start, type, bytes, maxLen };
}

/** Words and phrases: about a thousand keys in 4096 slots. */
const W_BITS = 12;
const WORDS = buildTable(
  KEYWORDS.map(([word, type]) => [word, type.charCodeAt(0)] as const),
  W_BITS,
);
const W_MASK = (1 << W_BITS) - 1;
const W_LEN = WORDS.len;
const W_START = WORDS.start;
const W_TYPE = WORDS.type;
const W_BYTES = WORDS.bytes;
const W_MAX_LEN = WORDS.maxLen;

/**
 * Fingerprints, upper-cased as the C library matches them (so `t` and `T` are
 * one). Kept apart from the words: the C table's `0` prefix on fingerprint
 * keys only served to keep the two kinds apart.
 */
const F_BITS = 15;
const PRINTS = buildTable(
  FINGERPRINTS.map((fp) => [fp.toUpperCase(), 1] as const),
  F_BITS,
);
const F_MASK = (1 << F_BITS) - 1;
const F_LEN = PRINTS.len;
const F_START = PRINTS.start;
const F_BYTES = PRINTS.bytes;

/** Number of fingerprint slots: indexes returned by `fingerprintSlot` are below it. */
export const TABLE_SIZE = 1 << F_BITS;

/**
 * Phrase pre-filter: bit (first byte of the first part) × (first byte of the
 * second part) for every split of every phrase at a space, so most word
 * pairs are rejected without hashing.
 */
const PHRASE_PAIRS = new Uint8Array(128 * 128);
for (const [word] of KEYWORDS) {
  for (let i = word.indexOf(' '); i > 0 && i + 1 < word.length; i = word.indexOf(' ', i + 1)) {
    PHRASE_PAIRS[word.charCodeAt(0) * 128 + word.charCodeAt(i + 1)] = 1;
  }
}

/**
 * Type of the word `src[off, off+len)` matched case-insensitively (ASCII
 * letters only), or 0 when it is not in the table.
 */
export function lookupWord(src: string, off: number, len: number): number {
  if (len === 0 || len > W_MAX_LEN) return 0;
  let h = SEED;
  for (let i = 0; i < len; i++) {
    const c = src.charCodeAt(off + i);
    const u = c < 256 ? (UPPER[c] as number) : 0;
    if (u === 0) return 0;
    h = mix(h, u);
  }
  let slot = slotOf(h, W_BITS);
  for (;;) {
    const klen = W_LEN[slot] as number;
    if (klen === 0) return 0;
    if (klen === len) {
      const base = W_START[slot] as number;
      let i = 0;
      while (i < len && W_BYTES[base + i] === UPPER[src.charCodeAt(off + i)]) i++;
      if (i === len) return W_TYPE[slot] as number;
    }
    slot = (slot + 1) & W_MASK;
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
  if (len > W_MAX_LEN || aLen === 0 || bLen === 0) return 0;
  const a0 = UPPER[aSrc.charCodeAt(aOff) & 0xff] as number;
  const b0 = UPPER[bSrc.charCodeAt(bOff) & 0xff] as number;
  if (PHRASE_PAIRS[a0 * 128 + b0] === 0) return 0;
  let h = SEED;
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
  let slot = slotOf(h, W_BITS);
  for (;;) {
    const klen = W_LEN[slot] as number;
    if (klen === 0) return 0;
    const base = W_START[slot] as number;
    if (klen === len && W_BYTES[base + aLen] === 0x20) {
      let i = 0;
      while (i < aLen && W_BYTES[base + i] === UPPER[aSrc.charCodeAt(aOff + i)]) i++;
      if (i === aLen) {
        let j = 0;
        while (j < bLen && W_BYTES[base + aLen + 1 + j] === UPPER[bSrc.charCodeAt(bOff + j)]) j++;
        if (j === bLen) return W_TYPE[slot] as number;
      }
    }
    slot = (slot + 1) & W_MASK;
  }
}

/**
 * Where the fingerprint made of `fp[0, len)` (token types) is in the table
 * (a stable index, for caching), or -1 when it is not a published SQLi
 * fingerprint. Matching is on the upper-cased form, as in the C library (so
 * `t` and `T` are one).
 */
export function fingerprintSlot(fp: Uint8Array, len: number): number {
  let h = SEED;
  for (let i = 0; i < len; i++) {
    const u = UPPER[fp[i] as number] as number;
    if (u === 0) return -1;
    h = mix(h, u);
  }
  let slot = slotOf(h, F_BITS);
  for (;;) {
    const klen = F_LEN[slot] as number;
    if (klen === 0) return -1;
    if (klen === len) {
      const base = F_START[slot] as number;
      let i = 0;
      while (i < len && F_BYTES[base + i] === UPPER[fp[i] as number]) i++;
      if (i === len) return slot;
    }
    slot = (slot + 1) & F_MASK;
  }
}
