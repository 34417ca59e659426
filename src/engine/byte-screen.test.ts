import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { runRequest } from '../../test/engine/harness.ts';
import { createWaf } from './index.ts';
import type { Rule } from './rule.ts';
import type { WafImpl } from './waf.ts';

function waf(...lines: string[]): WafImpl {
  return createWaf([{ text: ['SecRequestBodyAccess On', ...lines].join('\n') }]) as WafImpl;
}

function rule(w: WafImpl, id: number): Rule {
  for (const list of w.phases) for (const r of list) if (r.id === id) return r;
  throw new Error(`no rule ${id}`);
}

/** Counts the calls to the operator of rule `id`. */
function countCalls(w: WafImpl, id: number): { calls: number } {
  const counter = { calls: 0 };
  const op = rule(w, id).operator as { match: (input: string, state: never) => boolean };
  const match = op.match;
  op.match = (input, state) => {
    counter.calls++;
    return match(input, state);
  };
  return counter;
}

/** A form POST of `args` (already encoded), each value new to the engine. */
function post(w: WafImpl, body: string): number | 'pass' {
  const tx = runRequest(w, {
    method: 'POST',
    uri: '/',
    headers: [['Host', 'example.com'], ['Content-Type', 'application/x-www-form-urlencoded'], ['Content-Length', String(body.length)]],
    body,
  });
  return tx.interruption?.status ?? 'pass';
}

// Two rules reading ARGS alike, so their values come from one shared list (target-signature.ts).
const READER = 'SecRule ARGS "@rx ~" "id:100,phase:2,pass,nolog"';

describe('byte screen (new values of shared lists)', () => {
  it('spares a rule the values that lack the bytes its pattern needs, and still finds its matches', () => {
    const w = waf(READER, 'SecRule ARGS "@rx <script" "id:1,phase:2,t:none,t:urlDecodeUni,deny,status:403"');
    assert.equal(post(w, 'a=warm&b=up'), 'pass'); // learns who reads the shared list
    const calls = countCalls(w, 1);
    assert.equal(post(w, 'a=plain&b=words&c=123'), 'pass');
    assert.equal(calls.calls, 0, 'no value holds < (nor %, which urlDecodeUni could turn into one)');
    assert.equal(post(w, 'a=fine&b=%253cscript'), 403, '%3c only becomes < through the rule\'s urlDecodeUni');
    assert.equal(post(w, 'a=fine&b=%3Cscript%3E'), 403);
  });

  it('leaves negated rules alone: for them, a pattern that cannot match is a match', () => {
    const w = waf(READER, 'SecRule ARGS "!@rx <" "id:2,phase:2,deny,status:403"');
    assert.equal(post(w, 'a=%3C'), 'pass');
    assert.equal(post(w, 'a=x1'), 403);
    assert.equal(post(w, 'a=x2'), 403);
  });

  it('screens multiMatch rules against every step of the chain, not only its result', () => {
    const w = waf(READER, 'SecRule ARGS "@rx Q" "id:3,phase:2,t:none,t:urlDecodeUni,t:lowercase,multiMatch,deny,status:403"');
    assert.equal(post(w, 'a=warm'), 'pass');
    const calls = countCalls(w, 3);
    assert.equal(post(w, 'a=plain&b=words'), 'pass');
    assert.equal(calls.calls, 0, 'no step can hold Q');
    assert.equal(post(w, 'a=Q1'), 403, 'the raw value holds Q, its lowercase form does not');
    // Only the middle step holds Q: the final (lowercased) form cannot, the union of the steps can.
    assert.equal(post(w, 'a=%2551'), 403);
  });

  it('gives the same answers switched off', () => {
    const on = waf(READER, 'SecRule ARGS "@rx (?i)select.+from" "id:4,phase:2,t:none,t:urlDecodeUni,t:lowercase,deny,status:403"');
    const off = waf(READER, 'SecRule ARGS "@rx (?i)select.+from" "id:4,phase:2,t:none,t:urlDecodeUni,t:lowercase,deny,status:403"');
    off.byteScreen = false;
    for (const body of ['q=warm', 'q=SELECT+a+FROM+b', 'q=select%2520x%2520from', 'q=selection', 'q=%53ELECT%20*%20FROM%20t']) {
      assert.equal(post(on, body), post(off, body), body);
    }
    assert.equal(post(on, 'q=SELECT+a+FROM+b'), 403);
  });
});
