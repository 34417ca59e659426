import { test } from 'node:test';
import assert from 'node:assert/strict';
import { urlDecodeUni } from './url-decode-uni.ts';
import { urlDecode } from './url-decode.ts';

const cases: Array<[string, string, string]> = [
  ['plain text is returned as is', 'abc', 'abc'],
  ['plus becomes space', 'a+b', 'a b'],
  ['%HH decodes, any case', '%41%2f%2F', 'A//'],
  ['invalid %-escape kept', '%zz%4g', '%zz%4g'],
  ['truncated %-escape kept', 'a%4', 'a%4'],
  ['lone percent kept', '%', '%'],
  ['%00 gives NUL', 'a%00b', 'a\0b'],
  ['%uHHHH keeps the low byte', '%u0041%U0042', 'AB'],
  ['full-width ASCII folds', '%uff1c%uFF1E', '<>'],
  ['full-width check needs ff prefix', '%u001c', '\x1c'],
  ['best-fit map: typographic quotes', '%u201cx%u201d', '"x"'],
  ['best-fit map: accented letters', '%u00e9%u00C0', 'eA'],
  ['best-fit map: ideographic full stop', '%u3002', '.'],
  ['unmapped code point keeps low byte', '%u4e2d', '-'],
  ['invalid %u keeps "%u" and rescans', '%u%41', '%uA'],
  ['%u with three digits kept', '%u004', '%u004'],
  ['%u with non-hex kept', '%u00zz', '%u00zz'],
  ['high bytes pass through', '\xff\x80%ff', '\xff\x80\xff'],
  ['mixed', '1%27+or+%u00271=1', "1' or '1=1"],
];

for (const [name, input, expected] of cases) {
  test(`urlDecodeUni: ${name}`, () => {
    assert.equal(urlDecodeUni(input), expected);
  });
}

test('urlDecodeUni returns the same string when there is nothing to decode', () => {
  const s = 'nothing to see here';
  assert.equal(urlDecodeUni(s), s);
});

test('urlDecode does not know %u', () => {
  assert.equal(urlDecode('%u0041+%41%zz%'), '%u0041 A%zz%');
  assert.equal(urlDecode('a%2'), 'a%2');
  assert.equal(urlDecode('%e9'), '\xe9');
});
