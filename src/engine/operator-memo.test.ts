/**
 * Repeated values within one link are matched once when the operator did not match
 * them (transaction.ts #evaluateLink): matches, captures, negation and macro operands
 * must behave exactly as if every value were matched.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { runRequest } from '../../test/engine/harness.ts';
import { createWaf } from './index.ts';

function run(rules: string, query: string): ReturnType<typeof runRequest> {
  const waf = createWaf([{ text: `SecRuleEngine On\n${rules}`, name: 'memo.conf' }]);
  return runRequest(waf, { uri: `/?${query}` });
}

describe('per-link operator memo', () => {
  it('runs the actions for every repeated matching value', () => {
    const tx = run('SecRule ARGS "@rx y" "id:1,phase:1,pass,nolog,t:none,t:lowercase,setvar:tx.n=+1"', 'a=x&b=Y&c=x&d=y&e=x');
    assert.equal(tx.txValue('n'), '2');
  });

  it('multiMatch: matches every repeated value in each of its forms', () => {
    const tx = run('SecRule ARGS "@rx ^x" "id:1,phase:1,pass,nolog,multiMatch,t:none,t:lowercase,t:trim,setvar:tx.n=+1"', 'a=X%20&b=q&c=X%20&d=q&e=x');
    // 'X ' matches as 'x ' and 'x'; 'x' once (the steps leave it unchanged).
    assert.equal(tx.txValue('n'), '5');
  });

  it('keeps the captures of the last matching value', () => {
    const tx = run('SecRule ARGS "@rx ^(v\\d)" "id:1,phase:1,pass,nolog,capture,setvar:tx.last=%{tx.1}"', 'a=v1&b=x&c=v2&d=x&e=v1z');
    assert.equal(tx.txValue('last'), 'v1');
  });

  it('re-evaluates a negated operator for every value', () => {
    const tx = run('SecRule ARGS "!@rx ^x$" "id:1,phase:1,pass,nolog,setvar:tx.n=+1"', 'a=y&b=x&c=y&d=y');
    assert.equal(tx.txValue('n'), '3');
  });

  it('does not remember values for a macro operand that actions change', () => {
    const rules = 'SecAction "id:1,phase:1,pass,nolog,setvar:tx.want=a"\n' + 'SecRule ARGS "@streq %{tx.want}" "id:2,phase:1,pass,nolog,setvar:tx.want=b,setvar:tx.n=+1"';
    const tx = run(rules, 'p=b&q=a&r=b');
    assert.equal(tx.txValue('n'), '2');
  });
});
