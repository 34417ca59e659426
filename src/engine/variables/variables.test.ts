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
  });
});
