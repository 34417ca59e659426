/** `@detectSQLi` and `@detectXSS`: matching, TX:0 capture, and argument checks. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RuleError } from '../../src/engine/errors.ts';
import { detectSqli } from '../../src/engine/operators/detect-sqli.ts';
import { detectXss } from '../../src/engine/operators/detect-xss.ts';
import type { MatchState, OperatorContext } from '../../src/engine/operators/types.ts';

const context: OperatorContext = {
  file: 'rules.conf',
  line: 7,
  baseDir: '.',
  compileMacro: (text) => ({ text, isConstant: true, expand: () => text }),
};

function state(capture: boolean): MatchState & { captures: Map<number, string> } {
  const captures = new Map<number, string>();
  return {
    capture,
    captures,
    setCapture(index, value) {
      captures.set(index, value);
    },
    lookup: () => '',
  };
}

test('@detectSQLi matches SQLi and captures the fingerprint in TX:0', () => {
  const op = detectSqli('', context);
  const s = state(true);
  assert.equal(op.match("1' OR '1'='1", s), true);
  assert.equal(s.captures.get(0), 's&sos');
  assert.equal(op.match('-1 UNION SELECT password FROM users', s), true);
  assert.equal(s.captures.get(0), '1UEnk');
});

test('@detectSQLi does not match benign text, nor capture without the capture action', () => {
  const op = detectSqli('', context);
  const off = state(false);
  assert.equal(op.match("1' OR '1'='1", off), true);
  assert.equal(off.captures.size, 0);
  const on = state(true);
  assert.equal(op.match('hello world', on), false);
  assert.equal(op.match("O'Reilly", on), false);
  assert.equal(on.captures.size, 0);
});

test('@detectXSS matches XSS only', () => {
  const op = detectXss('', context);
  const s = state(true);
  assert.equal(op.match('<script>alert(1)</script>', s), true);
  assert.equal(op.match('<img src=x onerror=alert(1)>', s), true);
  assert.equal(op.match('"><a href="javascript:alert(1)">', s), true);
  assert.equal(op.match('a < b and c > d', s), false);
  assert.equal(op.match('<b>bold</b>', s), false);
  assert.equal(s.captures.size, 0);
});

test('both operators reject an argument with a RuleError at file:line', () => {
  for (const [name, factory] of [
    ['@detectSQLi', detectSqli],
    ['@detectXSS', detectXss],
  ] as const) {
    assert.throws(
      () => factory('foo', context),
      (err: unknown) =>
        err instanceof RuleError &&
        err.file === 'rules.conf' &&
        err.line === 7 &&
        err.message.includes(name) &&
        err.format().startsWith('rules.conf:7: '),
    );
    assert.doesNotThrow(() => factory('', context));
  }
});
