import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { getTransformation, transformations } from './index.ts';

const CRS_RULES = new URL('../../../../shared/crs-4.28.0/rules/', import.meta.url);

test('registry is alphabetical and case-insensitive', () => {
  const names = Object.keys(transformations);
  assert.deepEqual(names, [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  assert.equal(getTransformation('URLDECODEUNI'), transformations.urlDecodeUni);
  assert.equal(getTransformation('cmdline'), transformations.cmdLine);
  assert.equal(getTransformation('normalisePath'), getTransformation('normalizePath'));
  assert.equal(getTransformation('none'), undefined);
  assert.equal(getTransformation('nope'), undefined);
  assert.equal(getTransformation('toString'), undefined);
});

test('every transformation CRS v4.28 uses is registered', () => {
  const used = new Set<string>();
  for (const file of readdirSync(CRS_RULES).filter((f) => f.endsWith('.conf'))) {
    const text = readFileSync(new URL(file, CRS_RULES), 'latin1');
    for (const m of text.matchAll(/\bt:([a-zA-Z0-9]+)/g)) used.add(m[1] as string);
  }
  used.delete('none');
  used.delete('alert'); // "t:alert" occurs in a comment's example text, not as an action
  assert.ok(used.size >= 20, `found only ${used.size} names; is ../shared/crs-4.28.0 present?`);
  for (const name of used) assert.ok(getTransformation(name), `t:${name} is not implemented`);
});

const table: Array<[string, string, string]> = [
  ['lowercase', 'SeLeCt \xc0\xde', 'select \xc0\xde'],
  ['uppercase', 'select \xe0\xff\xb5', 'SELECT \xe0\xff\xb5'],
  ['compressWhitespace', ' a \t\n b\xa0\xa0c\v', ' a b c '],
  ['compressWhitespace', 'a b', 'a b'],
  ['removeWhitespace', ' a\tb\r\nc\xa0d\f\v', 'abcd'],
  ['removeNulls', '\0a\0b\0', 'ab'],
  ['replaceNulls', '\0a\0', ' a '],
  ['trim', ' \t\n\v\f\rab c\r\n ', 'ab c'],
  ['trim', '\xa0a\xa0', '\xa0a\xa0'],
  ['trimLeft', '  a  ', 'a  '],
  ['trimRight', '  a  ', '  a'],
  ['length', '', '0'],
  ['length', 'a\0\xff', '3'],
  ['hexEncode', 'A\0\xff', '4100ff'],
  ['hexDecode', '4100FF', 'A\0\xff'],
  ['hexDecode', '414', 'A'],
  ['hexDecode', '0z', '#'],
  ['sqlHexDecode', '0x414243', 'ABC'],
  ['sqlHexDecode', 'select 0X4142 from', 'select AB from'],
  ['sqlHexDecode', '0x4', '0x4'],
  ['sqlHexDecode', '0x41424', 'AB4'],
  ['sqlHexDecode', '0xzz', '0xzz'],
  ['sqlHexDecode', 'a0x00b', 'a'],
  ['sqlHexDecode', 'ab\0 0x41', 'ab'],
  ['md5', '', '\xd4\x1d\x8c\xd9\x8f\x00\xb2\x04\xe9\x80\x09\x98\xec\xf8\x42\x7e'],
  ['sha1', 'abc', '\xa9\x99\x3e\x36\x47\x06\x81\x6a\xba\x3e\x25\x71\x78\x50\xc2\x6c\x9c\xd0\xd8\x9d'],
  ['urlEncode', 'a b*c/é%', 'a+b*c%2f%e9%25'],
  ['urlEncode', '\0-._~', '%00%2d%2e%5f%7e'],
  ['parityZero7bit', '\xc1\x41', 'AA'],
  ['parityEven7bit', 'ABC', 'AB\xc3'],
  ['parityOdd7bit', 'ABC', '\xc1\xc2C'],
];

for (const [name, input, expected] of table) {
  test(`${name}(${JSON.stringify(input)})`, () => {
    const fn = getTransformation(name);
    assert.ok(fn);
    assert.equal(fn(input), expected);
  });
}

test('unchanged values come back as the same string', () => {
  const s = 'plain-value_123';
  for (const name of ['urlDecode', 'urlDecodeUni', 'htmlEntityDecode', 'jsDecode', 'cssDecode', 'lowercase',
    'cmdLine', 'compressWhitespace', 'removeWhitespace', 'removeNulls', 'replaceComments', 'trim', 'normalizePath']) {
    assert.equal(getTransformation(name)?.(s), s, name);
  }
});

const bytes = fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a).toString('latin1'));
// Inputs rich in the characters decoders look at, so escapes are actually exercised.
const escapes = fc.array(fc.constantFrom('%', 'u', 'U', 'f', 'F', '0', '4', '1', '&', '#', 'x', ';', '\\', '/', '.', '*',
  '-', '<', '!', '>', ' ', '\0', '\xa0', '\xc3', '\xa9', '\xf0', '\x80', 'a', 'lt', 'nbsp', '"', '^', '\n', '='), { maxLength: 40 })
  .map((parts) => parts.join(''));

test('every transformation is total, deterministic and returns byte strings', () => {
  for (const [name, fn] of Object.entries(transformations)) {
    fc.assert(fc.property(fc.oneof(bytes, escapes), (input) => {
      const first = fn(input);
      const second = fn(input);
      assert.equal(first, second, name);
      assert.equal(typeof first, 'string');
      for (let i = 0; i < first.length; i++) assert.ok(first.charCodeAt(i) <= 0xff, `${name} produced a non-byte char`);
    }), { numRuns: 300 });
  }
});

test('decoders never grow their input', () => {
  for (const name of ['urlDecode', 'urlDecodeUni', 'htmlEntityDecode', 'jsDecode', 'cssDecode', 'escapeSeqDecode',
    'removeWhitespace', 'removeNulls', 'cmdLine', 'normalizePath', 'normalizePathWin', 'replaceComments', 'removeCommentsChar']) {
    const fn = getTransformation(name);
    assert.ok(fn);
    fc.assert(fc.property(fc.oneof(bytes, escapes), (input) => fn(input).length <= input.length), { numRuns: 300 });
  }
});
