import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BYTE_SET_WORDS, fillByteSet, hasByte, presenceTransfer } from './byte-presence.ts';
import { transformations } from './index.ts';

/** Bytes that start escapes, entities, comments and paths, and some letters and digits, to build inputs from. */
const ALPHABET = '%+&#;\\/.*-<>!"\' \t\r\n\x00uUxX0123456789aAbBcCfFzZ()[]{}=:,^$|\x80\xc3\xa9\xff';

/** Escapes, comment markers and entities as whole tokens, so the rare paths of decoders come up often. */
const TOKENS = ['/*', '*/', '<!--', '-->', '--', '#', '%', '%u', '%3c', '%u003c', '&', '&#', '&lt;', ';', '\\', '\\x', '\\u', '+', 'a', 'A', '0', '9', 'f', '/', '.', '..', '\x00', '\xe9', ' '];

const byteString = fc.oneof(
  fc.array(fc.constantFrom(...ALPHABET), { maxLength: 40 }).map((chars) => chars.join('')),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 12 }).map((tokens) => tokens.join('')),
  fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);

function bytesOf(s: string): Int32Array {
  const set = new Int32Array(BYTE_SET_WORDS);
  assert.ok(fillByteSet(set, s), 'a byte string');
  return set;
}

describe('byte presence transfers', () => {
  for (const [name, fn] of Object.entries(transformations)) {
    it(`${name}: every byte of the output is in the transfer of the input's bytes`, () => {
      const transfer = presenceTransfer(fn);
      fc.assert(
        fc.property(byteString, (input) => {
          const set = bytesOf(input);
          transfer(set);
          const output = fn(input);
          for (let i = 0; i < output.length; i++) {
            const c = output.charCodeAt(i);
            // A character above 0xFF in an output is never ruled out by the screen (fillByteSet refuses it).
            if (c > 0xff) return set.every((w) => w === -1);
            if (!hasByte(set, c)) return false;
          }
          return true;
        }),
        { numRuns: 3000 },
      );
    });
  }

  it('narrows what it can: lowercase drops A-Z, length keeps digits, a URL without % or + is kept as it is', () => {
    const lower = bytesOf('AbZ');
    presenceTransfer(transformations.lowercase!)(lower);
    assert.deepEqual([...'AZabz'].map((ch) => hasByte(lower, ch.charCodeAt(0))), [false, false, true, true, true]);
    const length = bytesOf('<script>');
    presenceTransfer(transformations.length!)(length);
    assert.equal(hasByte(length, 0x3c), false);
    assert.equal(hasByte(length, 0x38), true);
    const url = bytesOf('/a/b');
    presenceTransfer(transformations.urlDecodeUni!)(url);
    assert.equal(hasByte(url, 0x3c), false);
  });

  it('lets anything through once a decoder sees its escape', () => {
    for (const [name, input] of [['urlDecodeUni', '%3c'], ['htmlEntityDecode', '&lt;'], ['jsDecode', '\\x3c'], ['cssDecode', '\\3c']] as const) {
      const set = bytesOf(input);
      presenceTransfer(transformations[name]!)(set);
      assert.ok(hasByte(set, 0x3c), name);
    }
  });

  it('refuses a string that is not a byte string', () => {
    assert.equal(fillByteSet(new Int32Array(BYTE_SET_WORDS), 'caf\u00e9\u20ac'), false);
  });
});
