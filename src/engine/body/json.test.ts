import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BodyParseError } from './errors.ts';
import { parseJson } from './json.ts';

const utf8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
const pairs = (body: string, depth = 512): [string, string][] => parseJson(body, depth).map((a) => [a.name, a.value]);

describe('parseJson argument naming (ModSecurity v2 msc_json.c)', () => {
  const cases: [string, [string, string][]][] = [
    ['{"a":1}', [['a', '1']]],
    ['{"a":{"b":1}}', [['a.b', '1']]],
    ['{"a":{"b":{"c":"x"}},"d":2}', [['a.b.c', 'x'], ['d', '2']]],
    ['{"a":[1,2]}', [['a.a', '1'], ['a.a', '2']]],
    ['{"a":[{"b":1},{"c":2}]}', [['a.a.b', '1'], ['a.a.c', '2']]],
    ['{"a":[[1]]}', [['a.a.a', '1']]],
    ['[1,2]', [['array.array', '1'], ['array.array', '2']]],
    ['[{"a":1}]', [['array.array.a', '1']]],
    ['"top"', [['', 'top']]],
    ['3', [['', '3']]],
    ['{"n":null,"t":true,"f":false}', [['n', ''], ['t', 'true'], ['f', 'false']]],
    ['{"num":-1.50e+3}', [['num', '-1.50e+3']]],
    ['{"a":{},"b":[],"c":1}', [['c', '1']]],
    ['{"":"empty"}', [['', 'empty']]],
    // CRS 942290 test bodies: the operators land in ARGS_NAMES.
    ['{"$not": "foo"}', [['$not', 'foo']]],
    ['{"user": {"$exists": true}}', [['user.$exists', 'true']]],
    // A '.' in a key confuses v2's prefix bookkeeping: mirrored.
    ['{"a.b":{"c":1},"d":2}', [['a.b.c', '1'], ['a.d', '2']]],
    ['  {"a" : [ 1 , 2 ] }  ', [['a.a', '1'], ['a.a', '2']]],
    // yajl skips \v and \f as whitespace too.
    ['\v{"a":\f1}\t\r\n', [['a', '1']]],
  ];
  for (const [body, expected] of cases) {
    it(`names ${body}`, () => assert.deepEqual(pairs(body), expected));
  }
});

describe('parseJson strings (yajl decoding to UTF-8 bytes)', () => {
  const cases: [string, string][] = [
    ['"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t"', 'a"b\\c/d\b\f\n\r\t'],
    ['"\\u0041\\u00e9"', `A${utf8('é')}`],
    ['"\\ud83d\\ude00"', utf8('😀')],
    ['"\\u0000x"', '\0x'],
    [`"${utf8('ÿé€😀')}"`, utf8('ÿé€😀')],
    // yajl: a lone high surrogate becomes '?' and swallows the next byte.
    ['"\\ud800abc"', '?bc'],
    ['"\\ud800"', '?'],
    ['"\\ud800\\n"', '?n'],
    // A lone low surrogate is encoded as is (CESU-style).
    ['"\\udc00"', '\xed\xb0\x80'],
  ];
  for (const [body, expected] of cases) {
    it(`decodes ${body}`, () => assert.deepEqual(pairs(body), [['', expected]]));
  }
  it('decodes keys too', () => assert.deepEqual(pairs('{"\\u0061\\n":1}'), [['a\n', '1']]));
});

describe('parseJson errors (REQBODY_ERROR)', () => {
  const bad = [
    '{',
    '{"a":1',
    '{"a":1}x',
    '{"a":1}{"b":2}',
    '[1,]',
    '{"a":01}',
    '{"a":1.}',
    '{"a":-}',
    '{"a":1e}',
    '{a:1}',
    "{'a':1}",
    '{"a" 1}',
    '{"a":tru}',
    '{"a":"\\x"}',
    '{"a":"\\u12g4"}',
    '{"a":"line\nbreak"}',
    '{"a":"\xff"}',
    '{"a":"\xc3"}',
    '/* c */ {}',
    ' ',
    '[1 2]',
    '{"a":1,}',
  ];
  for (const body of bad) {
    it(`rejects ${JSON.stringify(body)}`, () => {
      assert.throws(() => parseJson(body, 512), BodyParseError);
    });
  }

  it('keeps the arguments parsed before the error, as v2 does', () => {
    assert.throws(
      () => parseJson('{"a":1,"b":[2,{"c":3}],"d":}', 512),
      (e: unknown) => {
        assert.ok(e instanceof BodyParseError);
        assert.equal(e.processor, 'JSON');
        assert.match(e.reqbodyErrorMsg, /^JSON parsing error: /);
        assert.deepEqual(e.partialArgs.map((a) => [a.name, a.value]), [['a', '1'], ['b.b', '2'], ['b.b.c', '3']]);
        return true;
      },
    );
  });

  it('accepts an empty body without arguments (v2 only reports errors for a non-empty body)', () => {
    assert.deepEqual(parseJson('', 512), []);
  });

  it('counts depth as v2: the top-level object is free, arrays and inner objects count', () => {
    assert.deepEqual(pairs('{"a":{"b":{"c":1}}}', 2), [['a.b.c', '1']]);
    assert.throws(() => parseJson('{"a":{"b":{"c":1}}}', 1), { message: 'JSON depth limit exceeded' });
    assert.deepEqual(pairs('[[1]]', 2), [['array.array.array', '1']]);
    assert.throws(() => parseJson('[[1]]', 1), { message: 'JSON depth limit exceeded' });
  });

  it('rejects a deeply nested document without exhausting the stack', () => {
    const deep = '['.repeat(100000) + ']'.repeat(100000);
    assert.throws(() => parseJson(deep, 10000), { message: 'JSON depth limit exceeded' });
    assert.throws(() => parseJson('['.repeat(100000), 1e9), BodyParseError);
  });

  it('stops past maxArgs (SecArgumentsLimit) with the v2 message', () => {
    assert.equal(parseJson('[1,2,3]', 10, 3).length, 3);
    assert.throws(() => parseJson('[1,2,3,4]', 10, 3), { name: 'BodyParseError', message: 'More than 3 JSON keys' });
  });
});

describe('parseJson properties', () => {
  const byte = fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));
  const jsonish = fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', 'a', '1', '\\', 'u', 'd', '8', ' ', 'e', '-', '.', 't', 'n'), maxLength: 200 });
  const mutated = fc.tuple(fc.json({ maxDepth: 4 }), fc.nat(), byte).map(([j, at, c]) => {
    const s = Buffer.from(j, 'utf8').toString('latin1');
    const i = s.length === 0 ? 0 : at % s.length;
    return s.slice(0, i) + c + s.slice(i + 1);
  });

  it('throws nothing but BodyParseError, with bounded output', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: byte, maxLength: 200 }), jsonish, mutated), (body) => {
        try {
          const args = parseJson(body, 8);
          assert.ok(args.length <= body.length);
          for (const a of args) {
            assert.ok(a.value.length <= body.length);
            assert.ok(a.name.length <= body.length * 9);
          }
        } catch (e) {
          if (!(e instanceof BodyParseError)) throw e;
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts what JSON.stringify produces, with the same leaf values', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 5 }), (text) => {
        // yajl turns lone surrogate escapes into '?': not what Buffer.from does.
        fc.pre(!/\\u[dD][89a-fA-F]/.test(text));
        const body = Buffer.from(text, 'utf8').toString('latin1');
        const leaves: string[] = [];
        const walk = (v: unknown): void => {
          if (Array.isArray(v)) v.forEach(walk);
          else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
          else if (typeof v === 'string') leaves.push(Buffer.from(v, 'utf8').toString('latin1'));
          else if (v === null) leaves.push('');
          else leaves.push(JSON.stringify(v));
        };
        walk(JSON.parse(text));
        const values = parseJson(body, 100, 1e6).map((a) => a.value);
        assert.deepEqual(values.sort(), leaves.sort());
      }),
      { numRuns: 300 },
    );
  });
});
