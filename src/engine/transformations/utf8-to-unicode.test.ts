import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utf8toUnicode } from './utf8-to-unicode.ts';

const utf8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

const cases: Array<[string, string, string]> = [
  ['ASCII unchanged', 'abc', 'abc'],
  ['two-byte sequence', utf8('é'), '%u00e9'],
  ['three-byte sequence', utf8('中'), '%u4e2d'],
  ['lowercase hex, zero padded', utf8('Ѐ'), '%u0400'],
  ['four-byte sequence keeps five hex digits', utf8('😀'), '%u1f600'],
  ['truncated lead byte is dropped', 'a\xc3', 'a'],
  ['bad continuation drops the lead byte', '\xc3A', 'A'],
  ['overlong form gets the lead byte appended', '\xc0\xaf', '%u002f\xc0'],
  ['surrogate gets the lead byte appended', '\xed\xa0\x80', '%ud800\xed'],
  ['stray continuation byte kept', '\x80', '\x80'],
  ['NUL bytes are dropped', 'ab\0cd\0', 'abcd'],
  ['NUL bytes are dropped after multibyte', utf8('é') + '\0x', '%u00e9x'],
  ['lead byte F5 is emitted then decoded', '\xf5\x80\x80\x80', '\xf5%u140000'],
];

for (const [name, input, expected] of cases) {
  test(`utf8toUnicode: ${name}`, () => {
    assert.equal(utf8toUnicode(input), expected);
  });
}
