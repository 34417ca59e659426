import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeSeqDecode } from './escape-seq-decode.ts';

const cases: Array<[string, string, string]> = [
  ['C escapes', '\\a\\b\\f\\n\\r\\t\\v\\?\\\'\\"\\\\', '\x07\b\f\n\r\t\v?\'"\\'],
  ['hex, either case of x', '\\x41\\X42', 'AB'],
  ['invalid hex drops the backslash', '\\xag\\xga', 'xagxga'],
  ['octal, up to three digits', '\\0\\01\\012\\123', '\0\x01\nS'],
  ['octal is truncated to a byte', '\\666', '\xb6'],
  ['fourth digit is literal', '\\0123', '\n3'],
  ['8 and 9 are not octal', '\\8\\9', '89'],
  ['trailing backslash kept', 'a\\', 'a\\'],
];
for (const [name, input, expected] of cases) {
  test(`escapeSeqDecode: ${name}`, () => {
    assert.equal(escapeSeqDecode(input), expected);
  });
}
