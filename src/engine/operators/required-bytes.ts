/**
 * Operator.requiredBytes (types.ts): byte sets of which every matching input holds at
 * least one byte each, as 8 words of 32 bits per set, for the byte screen (byte-screen.ts).
 */

/** Sets given as 256-entry flags (1: the byte is in the set) in the 8-words-per-set form. */
export function requiredBytesOf(sets: readonly Uint8Array[]): Int32Array | undefined {
  if (sets.length === 0) return undefined;
  const words = new Int32Array(sets.length * 8);
  sets.forEach((set, s) => {
    for (let c = 0; c < 256; c++) if (set[c]) words[s * 8 + (c >>> 5)] = (words[s * 8 + (c >>> 5)] as number) | (1 << (c & 31));
  });
  return words;
}

/** One set of the bytes for which `member` holds. */
export function requiredByteSet(member: (byte: number) => boolean): Int32Array {
  const set = new Uint8Array(256);
  for (let c = 0; c < 256; c++) if (member(c)) set[c] = 1;
  return requiredBytesOf([set]) as Int32Array;
}
