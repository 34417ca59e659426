import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
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

/** Byte-by-byte reference of v2's loop, to check the regex-based implementation against. */
function reference(input: string): string {
  let out = '';
  let space = false;
  for (const ch of input) {
    if (ch === '\0') break;
    if ('"\'\\^'.includes(ch)) continue;
    if (' ,;\t\r\n'.includes(ch)) {
      if (!space) {
        out += ' ';
        space = true;
      }
    } else if (ch === '/' || ch === '(') {
      if (space) out = out.slice(0, -1);
      space = false;
      out += ch;
    } else {
      out += ch >= 'A' && ch <= 'Z' ? ch.toLowerCase() : ch;
      space = false;
    }
  }
  return out;
}

test('cmdLine agrees with a byte-by-byte reference of the v2 loop', () => {
  const chars = fc.constantFrom(' ', ',', ';', '\t', '\r', '\n', '/', '(', '"', "'", '\\', '^', 'A', 'b', '\0', '\xc0', 'x');
  fc.assert(fc.property(fc.array(chars, { maxLength: 30 }).map((a) => a.join('')), (input) => {
    assert.equal(cmdLine(input), reference(input));
  }), { numRuns: 2000 });
});
