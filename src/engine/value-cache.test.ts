import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createWaf } from './index.ts';
import type { Waf } from './api.ts';
import { knownNoMatch, SharedValueCache, SHARED_VALUE_MAX_LENGTH, TransactionValueCache, type CachedValue } from './value-cache.ts';
import { runRequest } from '../../test/engine/harness.ts';

/** The shared record of `value`: seen once by one transaction, then asked for by another. */
function kept(shared: SharedValueCache, value: string): CachedValue {
  new TransactionValueCache(shared, 4, 40).get(value);
  return new TransactionValueCache(shared, 4, 40).get(value);
}

describe('SharedValueCache', () => {
  it('keeps a value once it comes back, and shares it across transactions', () => {
    const shared = new SharedValueCache(4, 40, 1 << 20);
    const a = new TransactionValueCache(shared, 4, 40);
    const b = new TransactionValueCache(shared, 4, 40);
    // First sighting: a record of this transaction only (most values never repeat).
    const first = a.get('Mozilla/5.0');
    assert.equal(a.get('Mozilla/5.0'), first);
    assert.ok(!b.owns(first));
    assert.equal(shared.size, 0);
    // Second sighting, in another transaction: now shared.
    const rec = b.get('Mozilla/5.0');
    assert.notEqual(rec, first);
    b.rememberNoMatch(rec, 33);
    const c = new TransactionValueCache(shared, 4, 40);
    assert.equal(c.get('Mozilla/5.0'), rec);
    assert.ok(knownNoMatch(c.get('Mozilla/5.0'), 33));
    assert.ok(!knownNoMatch(rec, 32));
    assert.ok(c.owns(rec));
    assert.equal(shared.size, 1);
  });

  it('does not keep values seen once, however many', () => {
    const shared = new SharedValueCache(4, 40, 1 << 20);
    for (let i = 0; i < 5000; i++) new TransactionValueCache(shared, 4, 40).get(`id-${i}`);
    // The filter may let a few through by collision; nearly all stay out.
    assert.ok(shared.size < 50, `${shared.size} one-off values kept`);
  });

  it('keeps long values for one transaction only', () => {
    const shared = new SharedValueCache(4, 40, 1 << 20);
    const long = 'x'.repeat(SHARED_VALUE_MAX_LENGTH + 1);
    const a = new TransactionValueCache(shared, 4, 40);
    const b = new TransactionValueCache(shared, 4, 40);
    const rec = a.get(long);
    assert.equal(a.get(long), rec);
    assert.notEqual(b.get(long), rec);
    assert.ok(!b.owns(rec), 'another transaction must not use a local record kept on a collection entry');
    assert.equal(shared.size, 0);
  });

  it('drops the older generation once the younger has used half the budget', () => {
    const shared = new SharedValueCache(4, 40, 64 * 1024);
    const first = kept(shared, 'first value');
    for (let i = 0; i < 2000; i++) kept(shared, `filler ${i} ${'y'.repeat(100)}`);
    assert.ok(shared.size < 2000, `the cache kept ${shared.size} values past its budget`);
    assert.notEqual(new TransactionValueCache(shared, 4, 40).get('first value'), first, 'an evicted value must get a fresh record');
  });

  it('counts stored transformation results against the budget', () => {
    const shared = new SharedValueCache(4, 40, 64 * 1024);
    const tx = new TransactionValueCache(shared, 4, 40);
    const rec = kept(shared, 'short');
    assert.equal(rec.owner, shared);
    const results: (string | undefined)[] = [];
    // Two rotations: the first moves the record to the older generation, the second drops it.
    for (let i = 0; i < 100; i++) tx.store(rec, results, 0, 'z'.repeat(1024));
    assert.notEqual(new TransactionValueCache(shared, 4, 40).get('short'), rec, 'big results must push the value out eventually');
  });

  it('counts each results array (a slot per chain node) against the budget', () => {
    // 1,000 chain nodes: every results array is ~8 KB, so a 64 KiB budget holds only a few values with results.
    const shared = new SharedValueCache(1000, 40, 64 * 1024);
    for (let i = 0; i < 100; i++) {
      new TransactionValueCache(shared, 1000, 40).get(`value ${i}`);
      const tx = new TransactionValueCache(shared, 1000, 40);
      tx.resultsOf(tx.get(`value ${i}`));
    }
    assert.ok(shared.size < 20, `${shared.size} values with results kept in 64 KiB`);
  });

  it('a budget of 0 turns sharing off', () => {
    const waf = createWaf([{ text: 'SecRule ARGS "@rx evil" "id:1,phase:1,deny"' }]) as Waf & { setValueCacheBudget(n: number): void; valueCache: unknown };
    waf.setValueCacheBudget(0);
    assert.equal(waf.valueCache, null);
  });

  it('forgetValues empties the cache and keeps its budget (after the engine warm-up)', () => {
    const waf = createWaf([{ text: 'SecRule ARGS "@rx evil" "id:1,phase:1,deny"' }]) as Waf & { valueCache: SharedValueCache | null };
    waf.setValueCacheBudget(1 << 20);
    // A value is kept once it comes back (value-cache.ts), so each request goes twice.
    for (let i = 0; i < 6; i++) verdict(waf, `/?a=benign${i >> 1}`);
    assert.ok(waf.valueCache!.size > 0, 'the requests left nothing in the cache');
    waf.forgetValues();
    assert.equal(waf.valueCache!.size, 0);
    assert.equal(waf.valueCache!.budgetBytes, 1 << 20);
    waf.setValueCacheBudget(0);
    waf.forgetValues();
    assert.equal(waf.valueCache, null, 'a cache turned off stays off');
  });
});

/** Runs `uri` through `waf` and returns the ids of the matched rules and the interruption status. */
function verdict(waf: Waf, uri: string): string {
  const tx = runRequest(waf, { method: 'GET', uri, headers: [['Host', 'example.com']] });
  return `${tx.matchedRules.map((m) => m.id).join(',')} -> ${tx.interruption?.status ?? 'pass'}`;
}

describe('remembered "no match" across transactions', () => {
  it('re-evaluates an operator whose argument holds a macro', () => {
    const waf = createWaf([{ text: 'SecRule ARGS:x "@streq %{ARGS.y}" "id:2,phase:1,deny,status:403"' }]);
    assert.equal(verdict(waf, '/?x=foo&y=bar'), ' -> pass');
    assert.equal(verdict(waf, '/?x=foo&y=foo'), '2 -> 403');
  });

  it('remembers a negated operator by its link outcome (the operator matching is the link not matching)', () => {
    const waf = createWaf([{ text: 'SecRule ARGS:z "!@rx ^ok$" "id:3,phase:1,deny,status:403"' }]);
    assert.equal(verdict(waf, '/?z=ok'), ' -> pass');
    assert.equal(verdict(waf, '/?z=ok'), ' -> pass');
    assert.equal(verdict(waf, '/?z=no'), '3 -> 403');
    assert.equal(verdict(waf, '/?z=no'), '3 -> 403');
  });

  it('keeps multiMatch forms, captures and repeated matches exact', () => {
    const waf = createWaf([
      {
        text: [
          'SecRule ARGS "@rx (evil)" "id:4,phase:1,t:none,t:urlDecode,multiMatch,capture,pass,setvar:tx.hits=+1,logdata:%{TX.1}"',
          'SecRule TX:hits "@ge 2" "id:5,phase:1,deny,status:403"',
        ].join('\n'),
      },
    ]);
    assert.equal(verdict(waf, '/?m=good&n=good'), ' -> pass');
    // ARGS holds %2565vil, which t:urlDecode turns into %65vil: no form matches, and that is remembered.
    assert.equal(verdict(waf, '/?m=%252565vil'), ' -> pass');
    assert.equal(verdict(waf, '/?m=%252565vil'), ' -> pass');
    // The same value twice in one request matches twice (matches are never remembered).
    assert.equal(verdict(waf, '/?m=evil&n=evil'), '4,5 -> 403');
    assert.equal(verdict(waf, '/?m=evil&n=evil'), '4,5 -> 403');
    // ARGS holds %65vil: only the decoded form matches, and the capture comes from it.
    const tx = runRequest(waf, { uri: '/?m=%2565vil', headers: [['Host', 'example.com']] });
    assert.equal(tx.matchedRules[0]?.logdata, 'evil');
  });

  it('gives a rule the same answer as a cache-less engine over repeated and new values', () => {
    const rules = [
      'SecRule ARGS|ARGS_NAMES|REQUEST_HEADERS "@rx (?i)<script" "id:10,phase:1,t:none,t:urlDecodeUni,t:htmlEntityDecode,pass,setvar:tx.score=+5"',
      'SecRule ARGS "@pm union select" "id:11,phase:1,t:none,t:lowercase,pass,setvar:tx.score=+5"',
      'SecRule ARGS "@detectSQLi" "id:12,phase:1,pass,capture,setvar:tx.score=+5"',
      'SecRule TX:score "@ge 10" "id:19,phase:1,deny,status:403"',
    ].join('\n');
    const cached = createWaf([{ text: rules }]);
    const plain = createWaf([{ text: rules }]) as Waf & { setValueCacheBudget(n: number): void };
    plain.setValueCacheBudget(0);
    const values = ['shoes', '%3Cscript%3E', '1%27%20union%20select%201--', 'UNION', 'a&lt;script', 'select', '1 or 1=1'];
    let seed = 11;
    const pick = (): string => {
      seed = (seed * 48271) % 2147483647;
      return values[seed % values.length] as string;
    };
    for (let i = 0; i < 200; i++) {
      const uri = `/?a=${pick()}&b=${pick()}&${pick()}=1`;
      assert.equal(verdict(cached, uri), verdict(plain, uri), uri);
    }
  });
});
