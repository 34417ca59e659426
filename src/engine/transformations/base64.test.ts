import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base64Decode } from './base64-decode.ts';
import { base64DecodeExt } from './base64-decode-ext.ts';
import { base64Encode } from './base64-encode.ts';

const decodeCases: Array<[string, string, string]> = [
  ['padded', 'VGVzdENhc2U=', 'TestCase'],
  ['unpadded', 'VGVzdENhc2Ux', 'TestCase1'],
  ['decodes NUL bytes', 'VGVzdABDYXNl', 'Test\0Case'],
  ['stops at the first invalid byte', 'VGVz.dENh', 'Tes'],
  ['partial group gives the bytes it completes', 'QUJ', 'AB'],
  ['single leftover character gives nothing', 'QUJDR', 'ABC'],
  ['empty', '', ''],
];
for (const [name, input, expected] of decodeCases) {
  test(`base64Decode: ${name}`, () => {
    assert.equal(base64Decode(input), expected);
  });
}

const extCases: Array<[string, string, string]> = [
  ['padded', 'VGVzdENhc2UxMg==', 'TestCase12'],
  ['skips bytes outside the alphabet', 'P.HNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', '<script>alert(1)</script>'],
  ['skips whitespace', 'VGVz\r\ndA==', 'Test'],
  ['lone = after one character empties the result', 'QUJDR=', ''],
  ['stops at NUL', 'QUJD\0REVG', 'ABC'],
];
for (const [name, input, expected] of extCases) {
  test(`base64DecodeExt: ${name}`, () => {
    assert.equal(base64DecodeExt(input), expected);
  });
}

test('base64Encode encodes bytes with padding', () => {
  assert.equal(base64Encode('TestCase'), 'VGVzdENhc2U=');
  assert.equal(base64Encode('\xff\0'), '/wA=');
  assert.equal(base64Encode(''), '');
});
