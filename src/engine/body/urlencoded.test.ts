import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseUrlencoded, urlDecodeNonStrict } from './urlencoded.ts';

const pairs = (body: string, separator?: string): [string, string][] =>
  parseUrlencoded(body, separator).args.map((a) => [a.name, a.value]);

describe('parseUrlencoded (ModSecurity v2 parse_arguments)', () => {
  const cases: [string, [string, string][], boolean][] = [
    ['a=1&b=2', [['a', '1'], ['b', '2']], false],
    ['a=1&a=2', [['a', '1'], ['a', '2']], false],
    ['a=b=c', [['a', 'b=c']], false],
    ['a', [['a', '']], false],
    ['a=', [['a', '']], false],
    ['=x', [['', 'x']], false],
    ['a=1&&b=2', [['a', '1'], ['', ''], ['b', '2']], false],
    ['&a=1', [['', ''], ['a', '1']], false],
    ['a=1&', [['a', '1']], false],
    ['&', [['', '']], false],
    ['', [], false],
    ['a+b=c+d', [['a b', 'c d']], false],
    ['%41%42=%2f%2F', [['AB', '//']], false],
    ['x=%zz', [['x', '%zz']], true],
    ['x=%4', [['x', '%4']], true],
    ['x=%', [['x', '%']], true],
    ['%g1=1', [['%g1', '1']], true],
    ['x=%00%ff', [['x', '\x00\xff']], false],
    ['x=1%2', [['x', '1%2']], true],
    ['x=1;y=2', [['x', '1;y=2']], false],
    ['id=1%27%20or%201=1--', [['id', "1' or 1=1--"]], false],
  ];
  for (const [body, expected, invalid] of cases) {
    it(`parses ${JSON.stringify(body)}`, () => {
      const r = parseUrlencoded(body);
      assert.deepEqual(r.args.map((a) => [a.name, a.value]), expected);
      assert.equal(r.invalidEncoding, invalid);
    });
  }

  it('honours another separator (SecArgumentSeparator)', () => {
    assert.deepEqual(pairs('x=1;y=2&z', ';'), [['x', '1'], ['y', '2&z']]);
  });

  it('decodes each %XX once (no double decoding)', () => {
    assert.deepEqual(urlDecodeNonStrict('%2541'), { text: '%41', invalid: 0 });
  });
});

describe('parseUrlencoded properties', () => {
  const bytes = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 300 });
  const formish = fc.string({ unit: fc.constantFrom('a', '=', '&', '%', '+', '4', '1', 'g', 'F', ' '), maxLength: 200 });

  it('never throws and never grows the data', () => {
    fc.assert(
      fc.property(fc.oneof(bytes, formish), (body) => {
        const r = parseUrlencoded(body);
        const out = r.args.reduce((n, a) => n + a.name.length + a.value.length, 0);
        assert.ok(out <= body.length);
        assert.ok(r.args.length <= body.length + 1);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips encoded pairs', () => {
    const text = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 20 });
    const enc = (s: string): string =>
      [...s].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 5 }), (list) => {
        const body = list.map(([n, v]) => `${enc(n)}=${enc(v)}`).join('&');
        const r = parseUrlencoded(body);
        assert.deepEqual(r.args.map((a) => [a.name, a.value]), list);
        assert.equal(r.invalidEncoding, false);
      }),
      { numRuns: 200 },
    );
  });
});
