import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsDecode } from './js-decode.ts';

const cases: Array<[string, string, string]> = [
  ['\\uHHHH keeps the low byte', '\\u0041\\u4142', 'AB'],
  ['full-width ASCII folds', '\\uff1c', '<'],
  ['\\U is not an escape', '\\U0041', 'U0041'],
  ['\\xHH', '\\x41\\x3C', 'A<'],
  ['\\x with one digit drops the backslash', '\\x4', 'x4'],
  ['octal', '\\101\\60', 'A0'],
  ['octal stops at two digits above \\377', '\\477', "'7"],
  ['octal with 8 stops', '\\18', '\x018'],
  ['C escapes', '\\a\\b\\f\\n\\r\\t\\v', '\x07\b\f\n\r\t\v'],
  ['other escaped characters lose the backslash', '\\\'\\"\\\\\\?\\z', '\'"\\?z'],
  ['lone trailing backslash kept', 'abc\\', 'abc\\'],
  ['short \\u kept as u', '\\u004', 'u004'],
];

for (const [name, input, expected] of cases) {
  test(`jsDecode: ${name}`, () => {
    assert.equal(jsDecode(input), expected);
  });
}
