import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RuleError } from '../errors.ts';
import { noMatch } from './no-match.ts';
import { unconditionalMatch } from './unconditional-match.ts';
import { validateByteRange } from './validate-byte-range.ts';
import { validateUrlEncoding } from './validate-url-encoding.ts';
import { validateUtf8Encoding } from './validate-utf8-encoding.ts';
import type { MatchState, OperatorContext } from './types.ts';
import { hasByte as has } from '../transformations/byte-presence.ts';

const context: OperatorContext = {
  file: 'rules.conf',
  line: 1,
  baseDir: '.',
  compileMacro: (text) => ({ text, isConstant: true, expand: () => text }),
};
const s: MatchState = { capture: false, setCapture: () => {}, lookup: () => '' };
const utf8 = (t: string): string => Buffer.from(t, 'utf8').toString('latin1');

test('@validateByteRange matches bytes outside the ranges', () => {
  const op = validateByteRange('9,10,13,32-126', context);
  assert.equal(op.match('plain text\r\n', s), false);
  assert.equal(op.match('nul\0', s), true);
  assert.equal(op.match('caf\xe9', s), true);
  assert.equal(op.match('', s), false);
  assert.equal(validateByteRange('1-255', context).match('a\0b', s), true);
  assert.equal(validateByteRange(' 38, 44-46 ', context).match('&,-.', s), false);
  // An empty list allows nothing, as in ModSecurity.
  assert.equal(validateByteRange('', context).match('a', s), true);
});

test('@validateByteRange rejects bad ranges', () => {
  for (const bad of ['256', '10-5', '0-300', '-1']) {
    assert.throws(() => validateByteRange(bad, context), RuleError, bad);
  }
});

test('@validateUrlEncoding', () => {
  const op = validateUrlEncoding('', context);
  const cases: Array<[string, boolean]> = [
    ['a%20b', false], ['%2F%2f', false], ['100%', true], ['%4', true], ['%zz', true], ['%2g', true], ['plain', false], ['', false],
    ['%20%', true],
  ];
  for (const [input, expected] of cases) assert.equal(op.match(input, s), expected, input);
});

test('@validateUtf8Encoding', () => {
  const op = validateUtf8Encoding('', context);
  const cases: Array<[string, boolean]> = [
    ['ascii', false],
    [utf8('héllo 中文 😀'), false],
    ['\xc3', true], // truncated
    ['\xc3(', true], // bad continuation
    ['\x80', true], // stray continuation
    ['\xc0\xaf', true], // overlong /
    ['\xe0\x80\xaf', true], // overlong
    ['\xf0\x80\x80\xaf', true], // overlong
    ['\xed\xa0\x80', true], // surrogate
    ['\xf5\x80\x80\x80', true], // above U+10FFFF lead byte
    ['\xf8\x88\x80\x80\x80', true], // 5-byte form
    ['\xff', true],
  ];
  for (const [input, expected] of cases) assert.equal(op.match(input, s), expected, JSON.stringify(input));
});

test('@unconditionalMatch and @noMatch', () => {
  assert.equal(unconditionalMatch('', context).match('', s), true);
  assert.equal(noMatch('', context).match('anything', s), false);
});

test('@validateByteRange and @validateUtf8Encoding: an input without a byte of their requiredBytes never matches', () => {
  const range = validateByteRange('32-126,10', context);
  const utf = validateUtf8Encoding('', context);
  const all = validateByteRange('0-255', context);
  for (let c = 0; c < 256; c++) {
    assert.equal(has(range.requiredBytes as Int32Array, c), !(c === 10 || (c >= 32 && c <= 126)), `byte ${c}`);
    assert.equal(has(utf.requiredBytes as Int32Array, c), c >= 0x80, `byte ${c}`);
    assert.equal(has(all.requiredBytes as Int32Array, c), false, 'nothing is outside 0-255: the set is empty, the operator never matches');
  }
  // Every input made of bytes outside the sets does not match.
  let ascii = '';
  for (let c = 0; c < 0x80; c++) ascii += String.fromCharCode(c);
  assert.equal(utf.match(ascii, s), false);
  assert.equal(range.match('plain text\n', s), false);
  assert.equal(range.match('tab\there', s), true);
});
