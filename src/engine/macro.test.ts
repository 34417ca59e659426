import { strict as assert } from 'node:assert';
import { it } from 'node:test';
import { UnsupportedError } from './errors.ts';
import { compileMacro } from './macro.ts';

const source = {
  lookup: (variable: string, key: string | undefined) => `${variable}${key === undefined ? '' : `.${key}`}`,
};

it('expands variables and collection keys; keys are lower-cased at compile', () => {
  const m = compileMacro('a %{tx.Score} b %{MATCHED_VAR}%{request_headers.Host}');
  assert.equal(m.isConstant, false);
  assert.equal(m.expand(source), 'a TX.score b MATCHED_VARREQUEST_HEADERS.host');
});

it('keeps text without a well-formed macro literal', () => {
  const m = compileMacro('100%{ and %{unclosed');
  assert.equal(m.isConstant, true);
  assert.equal(m.expand(source), '100%{ and %{unclosed');
});

it('rejects unknown variables with file and line', () => {
  assert.throws(
    () => compileMacro('%{NOPE.x}', 'r.conf', 7),
    (e: unknown) => e instanceof UnsupportedError && e.format() === 'r.conf:7: unsupported variable NOPE in macro %{NOPE.x}',
  );
});

it('expands every shape of literal and macro parts alike', () => {
  const cases: [string, string][] = [
    ['%{tx.a}', 'TX.a'],
    ['x_%{tx.0}', 'x_TX.0'],
    ['%{tx.0}_y', 'TX.0_y'],
    ['/%{tx.0}/', '/TX.0/'],
    ['%{tx.a}%{tx.b}', 'TX.aTX.b'],
    ['a%{tx.a}b%{tx.b}c', 'aTX.abTX.bc'],
  ];
  for (const [text, expected] of cases) assert.equal(compileMacro(text).expand(source), expected, text);
});
