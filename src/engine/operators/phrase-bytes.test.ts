import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hasByte as has } from '../transformations/byte-presence.ts';
import { phraseBytes } from './phrase-bytes.ts';

test('every phrase holds a byte of the set, in either case', () => {
  const phrase = fc.array(fc.constantFrom('a', 'B', 'c', '1', '/', '.', 'x', 'Y', '-', '\u00e9'), { minLength: 1, maxLength: 6 }).map((a) => a.join(''));
  fc.assert(fc.property(fc.array(phrase, { minLength: 1, maxLength: 30 }), (phrases) => {
    const words = phraseBytes(phrases) as Int32Array;
    for (const p of phrases) {
      // An input holding the phrase in any ASCII case (matching folds ASCII letters only) holds a byte of the set.
      const variants = [p, p.replace(/[A-Z]/g, (c) => c.toLowerCase()), p.replace(/[a-z]/g, (c) => c.toUpperCase())];
      for (const v of variants) assert.ok([...v].some((ch) => has(words, ch.charCodeAt(0) & 0xff)), `${JSON.stringify(v)} of ${JSON.stringify(phrases)}`);
    }
  }), { numRuns: 2000 });
});

test('a word list gets a few letters, and no digit when letters cover it', () => {
  const words = phraseBytes(['passwd', 'shadow', 'group', 'hosts', 'issue', 'motd']) as Int32Array;
  let count = 0;
  for (let c = 0; c < 256; c++) if (has(words, c)) count++;
  assert.ok(count <= 8, `${count} bytes`);
  for (let c = 0x30; c <= 0x39; c++) assert.equal(has(words, c), false);
  assert.equal(phraseBytes(['a', '']), undefined, 'an empty phrase holds no byte');
});
