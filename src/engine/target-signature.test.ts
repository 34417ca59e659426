import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { runRequest, type RequestSpec } from '../../test/engine/harness.ts';
import type { Waf } from './api.ts';
import { createWaf } from './index.ts';
import type { Rule } from './rule.ts';
import type { WafImpl } from './waf.ts';

function waf(...lines: string[]): WafImpl {
  return createWaf([{ text: lines.join('\n') }]) as WafImpl;
}

/** The rule with `id` (a chain head). */
function rule(w: WafImpl, id: number): Rule {
  for (const list of w.phases) for (const r of list) if (r.id === id) return r;
  throw new Error(`no rule ${id}`);
}

/** Rules `a` and `b` read every target from the same shared list. */
function assertSameLists(w: WafImpl, a: number, b: number): void {
  assert.ok(rule(w, a).sharedTargets !== null, `rule ${a} shares no target`);
  assert.deepEqual(rule(w, a).sharedTargets, rule(w, b).sharedTargets);
}

function ids(w: Waf, req: RequestSpec): number[] {
  return runRequest(w, req).matchedRules.map((m) => m.id);
}

function status(w: Waf, req: RequestSpec): number | 'pass' {
  return runRequest(w, req).interruption?.status ?? 'pass';
}

const form = (body: string, uri = '/'): RequestSpec => ({
  method: 'POST',
  uri,
  headers: [['Host', 'example.com'], ['Content-Type', 'application/x-www-form-urlencoded'], ['Content-Length', String(body.length)]],
  body,
});

describe('target signatures (which rules share one collected target list)', () => {
  it('shares equal targets of one phase, and nothing that may change during a phase', () => {
    const w = waf(
      'SecRule ARGS|REQUEST_HEADERS "@rx a" "id:1,phase:2,pass,nolog"',
      'SecRule ARGS|REQUEST_HEADERS "@rx b" "id:2,phase:2,pass,nolog"',
      // Shared per target: each rule reads the lists in its own order.
      'SecRule REQUEST_HEADERS|ARGS "@rx c" "id:3,phase:2,pass,nolog"',
      // Exclusions change the list of their variable; macro operands and counts change the list.
      'SecRule ARGS|REQUEST_HEADERS|!ARGS:x "@rx d" "id:4,phase:2,pass,nolog"',
      'SecRule ARGS|&REQUEST_HEADERS "@rx %{tx.y}" "id:5,phase:2,pass,nolog"',
      'SecRule ARGS "@rx b" "id:6,phase:1,pass,nolog"',
      // Written by setvar and matches: never shared.
      'SecRule TX:a "@eq 1" "id:7,phase:2,pass,nolog"',
      'SecRule TX:a "@eq 2" "id:8,phase:2,pass,nolog"',
      'SecRule MATCHED_VARS "@rx a" "id:9,phase:2,pass,nolog"',
      'SecRule MATCHED_VARS "@rx b" "id:10,phase:2,pass,nolog"',
      // Chained links run only after their head matched: they do not share.
      'SecRule ARGS "@rx x" "id:11,phase:2,pass,nolog,chain"',
      '  SecRule ARGS|REQUEST_HEADERS "@rx y" ""',
    );
    const sig = (id: number): number[] => {
      const r = rule(w, id);
      return r.targets.map((_, t) => (r.sharedTargets === null ? -1 : (r.sharedTargets[t] as number)));
    };
    const [args, headers] = sig(1) as [number, number];
    assert.ok(args >= 0 && headers >= 0 && args !== headers);
    assert.deepEqual(sig(2), [args, headers]);
    assert.deepEqual(sig(3), [headers, args]);
    assert.deepEqual(sig(4), [-1, headers]);
    assert.deepEqual(sig(11), [args]);
    for (const id of [5, 6, 7, 8, 9, 10]) assert.deepEqual(new Set(sig(id)), new Set([-1]), `rule ${id}`);
    assert.equal((rule(w, 11).next as Rule).sharedTargets, null);
  });

  it('a setvar between two rules with the same TX target list is seen by the second', () => {
    const w = waf(
      'SecRule TX:x|ARGS:a "@rx ^go$" "id:1,phase:1,pass,nolog,setvar:tx.x=go"',
      'SecRule TX:x|ARGS:a "@rx ^go$" "id:2,phase:1,pass,nolog,setvar:tx.hits=+1"',
      'SecRule TX:hits "@eq 2" "id:3,phase:1,deny,status:403"',
    );
    // TX:x is collected by each rule; ARGS:a is shared.
    assert.deepEqual([...(rule(w, 1).sharedTargets ?? [])].map((id) => id >= 0), [false, true]);
    assert.equal(status(w, { uri: '/?a=go' }), 403);
    assert.equal(status(w, { uri: '/?a=no' }), 'pass');
  });

  it('rules with the same list in phase 1 and phase 2 see the arguments the body added', () => {
    const w = waf(
      'SecRule ARGS "@rx evil" "id:1,phase:1,pass,log"',
      'SecRule ARGS "@rx evil" "id:2,phase:1,pass,log"',
      'SecRule ARGS "@rx evil" "id:3,phase:2,pass,log"',
      'SecRule ARGS "@rx evil" "id:4,phase:2,pass,log"',
    );
    assert.ok(rule(w, 1).sharedTargets?.[0] !== undefined && rule(w, 3).sharedTargets?.[0] !== undefined);
    assert.notEqual(rule(w, 1).sharedTargets?.[0], rule(w, 3).sharedTargets?.[0]);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(ids(w, form('a=evil', '/?q=fine')), [3, 4]);
      assert.deepEqual(ids(w, form('a=fine', '/?q=evil')), [1, 2, 3, 4]);
      assert.deepEqual(ids(w, form('a=fine', '/?q=fine')), []);
    }
  });

  it('transactions that take turns between phases each read their own values', () => {
    const w = waf(
      'SecRule ARGS "@rx ^evil$" "id:1,phase:1,pass,log"',
      'SecRule ARGS "@rx ^evil$" "id:2,phase:1,pass,log"',
    );
    const start = (uri: string) => {
      const tx = w.newTransaction(uri);
      tx.processConnection('127.0.0.1', 40000, '127.0.0.1', 80);
      tx.processUri(uri, 'GET', 'HTTP/1.1');
      tx.addRequestHeader('Host', 'example.com');
      return tx;
    };
    const good = start('/?q=fine');
    const bad = start('/?q=evil');
    bad.processRequestHeaders();
    good.processRequestHeaders();
    assert.deepEqual(bad.matchedRules.map((m) => m.id), [1, 2]);
    assert.deepEqual(good.matchedRules.map((m) => m.id), []);
  });

  it('ctl:ruleRemoveTargetById spares the rule it names, not the others sharing its list', () => {
    const w = waf(
      'SecRule ARGS:off "@streq 1" "id:10,phase:1,pass,nolog,ctl:ruleRemoveTargetById=30;ARGS:skip"',
      'SecRule ARGS "@rx evil" "id:20,phase:1,pass,log"',
      'SecRule ARGS "@rx evil" "id:30,phase:1,pass,log"',
      'SecRule ARGS "@rx evil" "id:40,phase:1,pass,log"',
    );
    assertSameLists(w, 20, 30);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(ids(w, { uri: '/?off=1&skip=evil' }), [20, 40]);
      assert.deepEqual(ids(w, { uri: '/?skip=evil' }), [20, 30, 40]);
      assert.deepEqual(ids(w, { uri: '/?off=1&skip=evil&other=evil' }), [20, 30, 40]);
    }
  });

  it('count targets count on every transaction, even when the count was seen before', () => {
    const w = waf(
      'SecRule &ARGS:a|ARGS:a "@eq 2" "id:1,phase:1,pass,log"',
      'SecRule &ARGS:a|ARGS:a "@eq 2" "id:2,phase:1,pass,log"',
      'SecRule &ARGS:a|ARGS:a "@eq 2" "id:3,phase:1,deny,status:403"',
    );
    assert.deepEqual([...(rule(w, 1).sharedTargets ?? [])], [...(rule(w, 2).sharedTargets ?? [-1])]);
    for (let i = 0; i < 3; i++) {
      // A count of 2 (values 1 and 3, which never match), then a count of 1 (value 1).
      const tx = runRequest(w, { uri: '/?a=1&a=3' });
      assert.deepEqual(tx.matchedRules.map((m) => [m.id, m.matchedVar]), [[1, '&ARGS:a'], [2, '&ARGS:a'], [3, '&ARGS:a']]);
      assert.equal(tx.interruption?.status, 403);
      assert.equal(status(w, { uri: '/?a=1' }), 'pass');
      assert.equal(status(w, { uri: '/?a=2' }), 403);
    }
  });

  it('a value every earlier reader knows is still evaluated by a rule that runs for the first time', () => {
    // Rule 13 is skipped while ?skip=1, so only rule 11 learns that `zzz` does not match it;
    // the shared list then leaves `zzz` out, which must not hide it from rule 13 later.
    const w = waf(
      'SecRule ARGS "@rx ^never$" "id:11,phase:1,pass,nolog"',
      'SecRule ARGS:skip "@streq 1" "id:12,phase:1,pass,nolog,skipAfter:END"',
      'SecRule ARGS "@rx zzz" "id:13,phase:1,deny,status:403"',
      'SecMarker END',
    );
    assertSameLists(w, 11, 13);
    for (let i = 0; i < 4; i++) assert.equal(status(w, { uri: '/?v=zzz&skip=1' }), 'pass');
    for (let i = 0; i < 3; i++) assert.equal(status(w, { uri: '/?v=zzz' }), 403);
    assert.equal(status(w, { uri: '/?v=zzz&skip=1' }), 'pass');
  });

  it('rules with the same list keep their own MATCHED_VAR and logged order of values', () => {
    const w = waf(
      'SecRule ARGS_NAMES|ARGS "@rx e" "id:1,phase:2,pass,log"',
      'SecRule ARGS_NAMES|ARGS "@rx v" "id:2,phase:2,pass,log"',
    );
    for (let i = 0; i < 3; i++) {
      const tx = runRequest(w, form('name=val&x=eve'));
      assert.deepEqual(tx.matchedRules.map((m) => [m.id, m.matchedVar, m.matchedValue]), [[1, 'ARGS:x', 'eve'], [2, 'ARGS:x', 'eve']]);
    }
  });

  it('XML targets share only with the same xmlns bindings', () => {
    const w = waf(
      'SecRule REQUEST_HEADERS:Content-Type "@rx xml" "id:1,phase:1,pass,nolog,ctl:requestBodyProcessor=XML"',
      'SecRule XML://a:v "@rx evil" "id:2,phase:2,pass,log,xmlns:a=urn:one"',
      'SecRule XML://a:v "@rx evil" "id:3,phase:2,pass,log,xmlns:a=urn:one"',
      'SecRule XML://a:v "@rx evil" "id:4,phase:2,pass,log,xmlns:a=urn:two"',
      'SecRule XML://a:v "@rx evil" "id:5,phase:2,pass,log,xmlns:a=urn:two"',
    );
    assert.equal(rule(w, 2).sharedTargets?.[0], rule(w, 3).sharedTargets?.[0]);
    assert.notEqual(rule(w, 2).sharedTargets?.[0], rule(w, 4).sharedTargets?.[0]);
    const xml = (uri: string): RequestSpec => {
      const body = `<r xmlns:p="${uri}"><p:v>evil</p:v></r>`;
      return { method: 'POST', uri: '/', headers: [['Host', 'x'], ['Content-Type', 'text/xml'], ['Content-Length', String(body.length)]], body };
    };
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(ids(w, xml('urn:one')), [2, 3]);
      assert.deepEqual(ids(w, xml('urn:two')), [4, 5]);
    }
  });
});
