/**
 * Which bytes a transformation's output may hold, given the bytes its input holds:
 * a superset, computed on 256-bit sets without running the transformation. The
 * byte screen (../byte-screen.ts) uses it to rule out `@rx` patterns for a value
 * whose transformed forms cannot hold the bytes every match needs.
 *
 * Every entry must be sound: for every byte string s, the bytes of fn(s) are in
 * transfer(bytes of s) (byte-presence.test.ts checks it on random inputs). A
 * transformation without an entry may produce any byte.
 */
import type { Transformation } from './types.ts';
import { transformations as t } from './index.ts';

/** A set of bytes as 8 words of 32 bits: bit (c & 31) of word (c >>> 5) is byte c. */
export type ByteSet = Int32Array;

/** Turns, in place, the bytes of an input into a superset of the bytes of the output. */
export type PresenceTransfer = (set: ByteSet) => void;

export const BYTE_SET_WORDS = 8;

export function hasByte(set: ByteSet, c: number): boolean {
  return ((set[c >>> 5] as number) & (1 << (c & 31))) !== 0;
}

function addByte(set: ByteSet, c: number): void {
  set[c >>> 5] = (set[c >>> 5] as number) | (1 << (c & 31));
}

function removeByte(set: ByteSet, c: number): void {
  set[c >>> 5] = (set[c >>> 5] as number) & ~(1 << (c & 31));
}

const SPACE = 0x20;

/** Output bytes come from the input (deletions, trimming, collapsing): the set is left as it is. */
export const SUBSET: PresenceTransfer = () => {};

/** Anything may come out once `trigger` is in: an escape or entity introducer. */
const decodesAfter =
  (trigger: number): PresenceTransfer =>
  (set) => {
    if (hasByte(set, trigger)) set.fill(-1);
  };
// One transfer per trigger, so that chains with the same effect on bytes compare equal.
const afterBackslash = decodesAfter(0x5c);

/** Output bytes come from the input, plus a space (what some bytes are replaced by). */
const subsetAndSpace: PresenceTransfer = (set) => addByte(set, SPACE);

/** t:removeComments: an unterminated comment becomes a space, and v2 may leave a NUL at the end. */
const removeComments: PresenceTransfer = (set) => {
  addByte(set, SPACE);
  addByte(set, 0);
};

/** Only ASCII letters change case; every other byte is kept. */
const caseTo =
  (from: number, to: number): PresenceTransfer =>
  (set) => {
    for (let i = 0; i < 26; i++) {
      if (hasByte(set, from + i)) {
        removeByte(set, from + i);
        addByte(set, to + i);
      }
    }
  };
const toLower = caseTo(0x41, 0x61);

/** The output is made of `bytes` only, whatever the input. */
const only =
  (bytes: string): PresenceTransfer =>
  (set) => {
    set.fill(0);
    for (let i = 0; i < bytes.length; i++) addByte(set, bytes.charCodeAt(i));
  };

const urlDecode: PresenceTransfer = (set) => {
  if (hasByte(set, 0x25)) set.fill(-1); // %XX and %uXXXX
  else if (hasByte(set, 0x2b)) addByte(set, SPACE); // +
};

const path: PresenceTransfer = (set) => {
  addByte(set, 0x2f);
  addByte(set, 0x2e);
};

/** Bytes above 0x7F become %uXXXX escapes; ASCII stays as it is. */
const utf8toUnicode: PresenceTransfer = (set) => {
  if (set[4] !== 0 || set[5] !== 0 || set[6] !== 0 || set[7] !== 0) set.fill(-1);
};

const TRANSFERS = new Map<Transformation, PresenceTransfer>([
  [t.cmdLine as Transformation, (set) => (toLower(set), addByte(set, SPACE))],
  [t.compressWhitespace as Transformation, subsetAndSpace],
  [t.cssDecode as Transformation, afterBackslash],
  [t.escapeSeqDecode as Transformation, afterBackslash],
  [t.hexEncode as Transformation, only('0123456789abcdef')],
  [t.htmlEntityDecode as Transformation, decodesAfter(0x26)],
  [t.jsDecode as Transformation, afterBackslash],
  [t.length as Transformation, only('0123456789')],
  [t.lowercase as Transformation, toLower],
  [t.normalizePath as Transformation, path],
  [t.normalizePathWin as Transformation, path],
  [t.removeComments as Transformation, removeComments],
  [t.removeCommentsChar as Transformation, SUBSET],
  [t.removeNulls as Transformation, SUBSET],
  [t.removeWhitespace as Transformation, SUBSET],
  [t.replaceComments as Transformation, subsetAndSpace],
  [t.replaceNulls as Transformation, subsetAndSpace],
  [t.trim as Transformation, SUBSET],
  [t.trimLeft as Transformation, SUBSET],
  [t.trimRight as Transformation, SUBSET],
  [t.uppercase as Transformation, caseTo(0x61, 0x41)],
  [t.urlDecode as Transformation, urlDecode],
  [t.urlDecodeUni as Transformation, urlDecode],
  [t.utf8toUnicode as Transformation, utf8toUnicode],
]);

const anyByte: PresenceTransfer = (set) => set.fill(-1);

/** The transfer of `fn`: any byte may come out of a transformation it does not know. */
export function presenceTransfer(fn: Transformation): PresenceTransfer {
  return TRANSFERS.get(fn) ?? anyByte;
}

/** Fills `set` with the bytes of `s`; false (set undefined) when `s` is not a byte string. */
export function fillByteSet(set: ByteSet, s: string): boolean {
  set.fill(0);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) return false;
    set[c >>> 5] = (set[c >>> 5] as number) | (1 << (c & 31));
  }
  return true;
}
