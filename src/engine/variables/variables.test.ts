import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseIdRanges } from '../actions/types.ts';
import { atoi } from '../actions/setvar.ts';
import { parseCookies } from './cookies.ts';
import { parseUri } from './uri.ts';

function cookies(header: string): [string, string][] {
  const out: [string, string][] = [];
  parseCookies(header, (k, v) => out.push([k, v]));
  return out;
}

describe('parseCookies (v0)', () => {
  it('splits on ; and keeps = in values', () => assert.deepEqual(cookies('a=1; b=x=y;c;=z; ;d='), [['a', '1'], ['b', 'x=y'], ['c', ''], ['d', '']]));
  it('uses , when there is no ; and a comma is followed by a space', () => assert.deepEqual(cookies('a=1, b=2'), [['a', '1'], ['b', '2']]));
  it('keeps , inside a value otherwise', () => assert.deepEqual(cookies('a=1,b=2'), [['a', '1,b=2']]));
  it('handles empty headers, trailing delimiters and whitespace-only parts', () => {
    assert.deepEqual(cookies(''), []);
    assert.deepEqual(cookies(';;'), []);
    assert.deepEqual(cookies(' \t; a=1;'), [['a', '1']]);
    assert.deepEqual(cookies('a'), [['a', '']]);
    assert.deepEqual(cookies('=1; b'), [['b', '']]);
  });
  it('agrees with a split-based reference on random headers', () => {
    // The reference is the straightforward reading of parse_cookies_v0: split, skip leading space, split at '='.
    const reference = (header: string): [string, string][] => {
      const delimiter = !header.includes(';') && /, /.test(header) && header.charCodeAt(header.indexOf(',') + 1) === 0x20 ? ',' : ';';
      const out: [string, string][] = [];
      for (const part of header.split(delimiter)) {
        const token = part.replace(/^[ \t\n\v\f\r]+/, '');
        const eq = token.indexOf('=');
        const name = eq === -1 ? token : token.slice(0, eq);
        if (name !== '') out.push([name, eq === -1 ? '' : token.slice(eq + 1)]);
      }
      return out;
    };
    const alphabet = ['a', 'b', '=', ';', ',', ' ', '\t', '"', '$'];
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let n = 0; n < 20000; n++) {
      let h = '';
      const len = next() % 12;
      for (let i = 0; i < len; i++) h += alphabet[next() % alphabet.length];
      assert.deepEqual(cookies(h), reference(h), JSON.stringify(h));
    }
  });
});

describe('parseUri', () => {
  it('decodes the path, keeps the query raw, drops the fragment', () => {
    assert.deepEqual(parseUri('/a%2fb/c%zz.php?q=%41#x'), { path: '/a/b/c%zz.php', query: 'q=%41', basename: 'c%zz.php' });
  });
  it('strips scheme and authority of an absolute-form target', () => {
    assert.deepEqual(parseUri('http://example.com:8080/x/y?z'), { path: '/x/y', query: 'z', basename: 'y' });
  });
  it('has no query without ?', () => assert.equal(parseUri('/x').query, null));
});

describe('helpers', () => {
  it('parses id lists with ranges', () => {
    assert.deepEqual(parseIdRanges('1 5-7,9'), [
      { from: 1, to: 1 },
      { from: 5, to: 7 },
      { from: 9, to: 9 },
    ]);
    assert.equal(parseIdRanges('7-5'), null);
    assert.equal(parseIdRanges('abc'), null);
  });
  it('atoi behaves like C', () => {
    assert.equal(atoi(' 42abc'), 42);
    assert.equal(atoi('-3'), -3);
    assert.equal(atoi('+5'), 5);
    assert.equal(atoi('x'), 0);
    assert.equal(atoi(''), 0);
    assert.equal(atoi('-'), 0);
    assert.equal(atoi(' \t\n\v\f\r7'), 7);
    assert.equal(atoi('\u00a07'), 0, 'only C isspace() is skipped');
    assert.equal(atoi('+-1'), 0);
    assert.equal(atoi('007'), 7);
    assert.equal(atoi('12 3'), 12);
  });
  it('atoi clamps to the 32-bit int range', () => {
    assert.equal(atoi('2147483647'), 2147483647);
    assert.equal(atoi('2147483648'), 2147483647);
    assert.equal(atoi('-2147483648'), -2147483648);
    assert.equal(atoi('-2147483649'), -2147483648);
    assert.equal(atoi('99999999999999999999999'), 2147483647);
    assert.equal(atoi('-99999999999999999999999'), -2147483648);
  });
});
