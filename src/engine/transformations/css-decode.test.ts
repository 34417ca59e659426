import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cssDecode } from './css-decode.ts';

const cases: Array<[string, string, string]> = [
  ['one hex digit', '\\1', '\x01'],
  ['last two of three digits', '\\123', '#'],
  ['last two of four digits', '\\1234', '4'],
  ['last two of five and six digits', '\\12345\\123456', 'EV'],
  ['seventh digit is literal', '\\1234567', 'V7'],
  ['full-width with four digits', '\\ff01\\FF5E', '!~'],
  ['full-width with zero-padded six digits', '\\00ff1c', '<'],
  ['no full-width fold without zero padding', '\\1ff1c', '\x1c'],
  ['one whitespace after a hex escape is eaten', '\\41 B\\41  B', 'AB' + 'A B'],
  ['escaped newline removed', 'a\\\nb', 'ab'],
  ['escaped non-hex char kept', '\\g\\(', 'g('],
  ['trailing backslash dropped', 'test\\', 'test'],
  ['escaped NUL kept', '\\\0', '\0'],
];

for (const [name, input, expected] of cases) {
  test(`cssDecode: ${name}`, () => {
    assert.equal(cssDecode(input), expected);
  });
}
