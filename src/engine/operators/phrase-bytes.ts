/**
 * Operator.requiredBytes for `@pm` and `@pmFromFile`: a set of bytes that every phrase
 * holds one of. An input in which some phrase occurs holds that phrase's bytes, so an
 * input with none of the set's bytes cannot match. Matching ignores ASCII case, so a
 * letter stands in the set in both cases.
 *
 * The set is a hitting set of the phrases' bytes, chosen greedily (the byte in most
 * phrases not yet covered, first): small sets screen more values out, and common
 * letters cover word lists fast, so a value of digits alone rarely holds one.
 */
import { FOLD } from './aho-corasick.ts';
import { requiredBytesOf } from './required-bytes.ts';

/** The set as Operator.requiredBytes, or undefined when a phrase is empty (it would hold no byte). */
export function phraseBytes(phrases: readonly string[]): Int32Array | undefined {
  // Per folded byte, the phrases holding it; per phrase, its distinct folded bytes.
  const holders: number[][] = Array.from({ length: 256 }, () => []);
  const bytesOf: number[][] = [];
  for (let p = 0; p < phrases.length; p++) {
    const phrase = phrases[p] as string;
    if (phrase.length === 0) return undefined;
    const seen = new Set<number>();
    for (let i = 0; i < phrase.length; i++) seen.add(FOLD[phrase.charCodeAt(i) & 0xff] as number);
    bytesOf.push([...seen]);
    for (const b of seen) (holders[b] as number[]).push(p);
  }
  const uncovered = holders.map((list) => list.length);
  const covered = new Uint8Array(phrases.length);
  const set = new Uint8Array(256);
  let left = phrases.length;
  while (left > 0) {
    let best = 0;
    for (let b = 1; b < 256; b++) if ((uncovered[b] as number) > (uncovered[best] as number)) best = b;
    set[best] = 1;
    if (best >= 0x61 && best <= 0x7a) set[best - 0x20] = 1;
    for (const p of holders[best] as number[]) {
      if (covered[p] === 1) continue;
      covered[p] = 1;
      left--;
      for (const b of bytesOf[p] as number[]) uncovered[b] = (uncovered[b] as number) - 1;
    }
  }
  return requiredBytesOf([set]);
}
