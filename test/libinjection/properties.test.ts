/**
 * Property tests (fast-check) on random and mutated inputs: detection never
 * throws, is deterministic (no state leaks between calls), returns
 * well-formed results, and does work linear in the input length. Work is
 * counted (bytes examined, tokens, folding and tokenizer steps), not timed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { detectSqli, detectXss, sqliWork, xssWork } from '../../src/engine/libinjection/index.ts';
import { readExpected } from './corpus.ts';

const corpus = readExpected().map((r) => r.input);
/** Work per input byte allowed: 5 contexts × (scan + token + fold steps), with margin. */
const SQLI_WORK_PER_BYTE = 40;
const XSS_WORK_PER_BYTE = 20;

const bytes = fc
  .array(fc.integer({ min: 0, max: 255 }), { maxLength: 400 })
  .map((a) => String.fromCharCode(...a));

/** Pieces that steer the tokenizers into their rarer states. */
const PIECES = [
  "'", '"', '`', '--', '-- ', '/*', '*/', '/*!', '#', '$', '$$', '$a$', '@', '@@', 'OR', 'or', 'UNION', 'SELECT',
  'IN', 'NOT', 'LIKE', 'COLLATE', 'IF', 'USER', '1', '0x', '0b', '1e', '.', '(', ')', '{', '}', '[', ']', '\\', 'N',
  "b'", "x'", "q'[", "nq'", "E'", "U&'", ';', ',', '::', '<=>', '||', '&&', '<', '>', '=', '/', '!', '?', 'on', 'onload',
  'script', 'svg', 'href=', 'src=', 'style=', 'javascript:', 'data:', '&#x6a;', '&#106', '<!--', '-->', '<![CDATA[',
  ']]>', '<?', '<%', '%>', '<!DOCTYPE', 'xmlns', 'attributeName', ' ', '\t', '\n', '\0', '\xa0', '\xff', 'sp_password',
];
const pieces = fc.array(fc.constantFrom(...PIECES), { maxLength: 80 }).map((a) => a.join(''));

type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'repeat'; at: number; len: number; times: number }
  | { kind: 'replace'; at: number; byte: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(pieces, bytes) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 16 }) }),
  fc.record({
    kind: fc.constant('repeat' as const),
    at: fc.nat(),
    len: fc.integer({ min: 1, max: 16 }),
    times: fc.integer({ min: 2, max: 20 }),
  }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
);

function mutate(s: string, m: Mutation): string {
  const at = s.length === 0 ? 0 : m.at % (s.length + 1);
  switch (m.kind) {
    case 'insert':
      return s.slice(0, at) + m.text + s.slice(at);
    case 'delete':
      return s.slice(0, at) + s.slice(at + m.len);
    case 'repeat':
      return s.slice(0, at) + s.slice(at, at + m.len).repeat(m.times) + s.slice(at + m.len);
    case 'replace':
      return s.slice(0, at) + String.fromCharCode(m.byte) + s.slice(at + 1);
  }
}

const mutatedCorpus = fc
  .tuple(fc.constantFrom(...corpus), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([s, ms]) => ms.reduce(mutate, s));

const inputs = fc.oneof(bytes, pieces, mutatedCorpus);

const FINGERPRINT_CHARS = /^[kUBEtfn1vso&cA(){}.,:;T?X\\]{1,5}$/;

test('detectSqli never throws and returns a well-formed result', () => {
  fc.assert(
    fc.property(inputs, (s) => {
      const r = detectSqli(s);
      assert.equal(typeof r.isSqli, 'boolean');
      if (r.isSqli) assert.match(r.fingerprint, FINGERPRINT_CHARS);
      else assert.equal(r.fingerprint, '');
    }),
    { numRuns: 3000 },
  );
});

test('detectXss never throws and returns a boolean', () => {
  fc.assert(
    fc.property(inputs, (s) => {
      assert.equal(typeof detectXss(s), 'boolean');
    }),
    { numRuns: 3000 },
  );
});

test('detection is deterministic: a call in between changes nothing', () => {
  fc.assert(
    fc.property(inputs, inputs, (a, b) => {
      const sqli = detectSqli(a);
      const xss = detectXss(a);
      detectSqli(b);
      detectXss(b);
      assert.deepEqual(detectSqli(a), sqli);
      assert.equal(detectXss(a), xss);
    }),
    { numRuns: 1000 },
  );
});

test('strings with code units above 0xFF (not byte strings) do not throw', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 200 }).map((a) => String.fromCharCode(...a)),
      (s) => {
        assert.equal(typeof detectSqli(s).isSqli, 'boolean');
        assert.equal(typeof detectXss(s), 'boolean');
      },
    ),
    { numRuns: 1000 },
  );
});

test('work is linear in the input length', () => {
  fc.assert(
    fc.property(inputs, (s) => {
      const n = s.length + 1;
      const sw = sqliWork(s);
      const xw = xssWork(s);
      assert.ok(sw <= SQLI_WORK_PER_BYTE * n, `sqli work ${sw} for ${n - 1} bytes`);
      assert.ok(xw <= XSS_WORK_PER_BYTE * n, `xss work ${xw} for ${n - 1} bytes`);
    }),
    { numRuns: 2000 },
  );
});

test('work stays linear on repetitive inputs (no rescans)', () => {
  // `OR.1OR.1...` makes the C library rescan the rest of the word for every
  // token (quadratic); long runs of comments, strings, tags and attributes too.
  const units = ['OR.1', 'SELECT.', "'a'", '/**/', '1+', '$a$', '<a ', '<!---->', 'on', '"x" ', 'a.', '&#'];
  for (const unit of units) {
    const small = unit.repeat(1000);
    const big = unit.repeat(4000);
    for (const [name, work] of [
      ['sqli', sqliWork],
      ['xss', xssWork],
    ] as const) {
      const ws = work(small);
      const wb = work(big);
      assert.ok(wb <= 4.5 * ws + 100, `${name} work on ${JSON.stringify(unit)}×n: ${ws} at n=1000, ${wb} at n=4000`);
      const limit = (name === 'sqli' ? SQLI_WORK_PER_BYTE : XSS_WORK_PER_BYTE) * (big.length + 1);
      assert.ok(wb <= limit, `${name} work ${wb} on ${JSON.stringify(unit)}×4000`);
    }
  }
});
