import { test } from 'node:test';
import assert from 'node:assert/strict';
import { removeComments } from './remove-comments.ts';
import { removeCommentsChar } from './remove-comments-char.ts';
import { replaceComments } from './replace-comments.ts';

const removeCases: Array<[string, string, string]> = [
  ['no comment', 'TestCase', 'TestCase'],
  ['C comment inside', 'Before/* x */After', 'BeforeAfter'],
  ['comment at the end leaves v2 NUL byte', '/* x */', '\0'],
  ['unterminated comment becomes a space', 'a /* x', 'a  '],
  ['HTML comment', 'a<!-- x -->b', 'ab'],
  ['byte after the closing marker is copied unexamined', '/*a*//*b*/', '/*b*/'],
  ['-- cuts the rest', 'select 1 -- x', 'select 1 '],
  ['# cuts the rest', 'select 1 # x', 'select 1 '],
  ['lone closing marker kept', 'a */ b', 'a */ b'],
];
for (const [name, input, expected] of removeCases) {
  test(`removeComments: ${name}`, () => {
    assert.equal(removeComments(input), expected);
  });
}

const charCases: Array<[string, string, string]> = [
  ['markers removed, content kept', 'a/*b*/c', 'abc'],
  ['HTML markers', '<!--x-->', 'x'],
  ['dashes and hash', 'a--b#c', 'abc'],
  ['single dash kept', 'a-b', 'a-b'],
];
for (const [name, input, expected] of charCases) {
  test(`removeCommentsChar: ${name}`, () => {
    assert.equal(removeCommentsChar(input), expected);
  });
}

const replaceCases: Array<[string, string, string]> = [
  ['comment becomes a space', 'union/**/select', 'union select'],
  ['several comments', 'a/*x*/b/*y*/c', 'a b c'],
  ['unterminated comment becomes a space', 'a/* x', 'a '],
  ['lone closing marker kept', 'a*/b', 'a*/b'],
  ['nested opener inside comment', '/* /* */x', ' x'],
];
for (const [name, input, expected] of replaceCases) {
  test(`replaceComments: ${name}`, () => {
    assert.equal(replaceComments(input), expected);
  });
}
