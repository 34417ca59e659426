import { test } from 'node:test';
import assert from 'node:assert/strict';
import { htmlEntityDecode } from './html-entity-decode.ts';

const cases: Array<[string, string, string]> = [
  ['named entities', '&lt;&gt;&quot;&amp;', '<>"&'],
  ['names are case-insensitive', '&LT;&Gt;', '<>'],
  ['nbsp is byte 0xA0', 'a&nbsp;b', 'a\xa0b'],
  ['semicolon is optional', '&lt &gt', '< >'],
  ['the name is the whole alphanumeric run', '&ltscript&gt', '&ltscript>'],
  ['unknown names are kept', '&copy;&foo', '&copy;&foo'],
  ['unknown name then known', '&apos;&lt;', '&apos;<'],
  ['decimal', '&#60;&#x3c;&#X3C;', '<<<'],
  ['decimal without semicolon', '&#60script', '<script'],
  ['low byte of large numbers', '&#x4142;&#321;', 'BA'],
  ['overflow saturates to 0xFF', '&#99999999999999999999;', '\xff'],
  ['hex overflow saturates to 0xFF', '&#xffffffffffffffffff;', '\xff'],
  ['&# at the end kept', 'a&#', 'a&#'],
  ['&#x at the end kept', 'a&#x', 'a&#x'],
  ['&#x without digits kept', '&#xg;', '&#xg;'],
  ['&# without digits kept', '&#;', '&#;'],
  ['lone ampersand kept', 'a & b &', 'a & b &'],
  ['entity for NUL', '&#0;', '\0'],
  ['ampersand before non-alnum', '&;lt;', '&;lt;'],
];

for (const [name, input, expected] of cases) {
  test(`htmlEntityDecode: ${name}`, () => {
    assert.equal(htmlEntityDecode(input), expected);
  });
}
