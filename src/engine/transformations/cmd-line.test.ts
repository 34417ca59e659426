import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cmdLine } from './cmd-line.ts';

const cases: Array<[string, string, string]> = [
  ['lowercases', 'CMD', 'cmd'],
  ['deletes caret and quotes', 'c^m"d\'\\', 'cmd'],
  ['space before slash removed', 'C^OMMAND /C DIR', 'command/c dir'],
  ['comma and semicolon are separators', 'cmd,/c;dir', 'cmd/c dir'],
  ['runs of separators collapse', 'a \t\r\n,; b', 'a b'],
  ['space before parenthesis removed', 'echo (x)', 'echo(x)'],
  ['deleted characters do not end a separator run', 'a " b', 'a b'],
  ['leading separator kept as one space', '  ls', ' ls'],
  ['stops at NUL like the C string v2 reads', 'ls\0 -la', 'ls'],
  ['only ASCII is lowercased', '\xc0A', '\xc0a'],
];

for (const [name, input, expected] of cases) {
  test(`cmdLine: ${name}`, () => {
    assert.equal(cmdLine(input), expected);
  });
}
