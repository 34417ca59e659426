import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Transaction, Waf } from './api.ts';
import { createWaf } from './index.ts';
import { DEFAULT_WARM_UP_TRANSACTIONS, warmUp } from './warm-up.ts';

/** Request and response body processing on, JSON and XML picked by Content-Type, as rulesets/picket.conf does. */
const BASE = `
SecRuleEngine On
SecRequestBodyAccess On
SecResponseBodyAccess On
SecResponseBodyMimeType text/html application/json
SecRule REQUEST_HEADERS:Content-Type "@rx ^application/json" "id:1,phase:1,pass,nolog,ctl:requestBodyProcessor=JSON"
SecRule REQUEST_HEADERS:Content-Type "@rx ^text/xml" "id:2,phase:1,pass,nolog,ctl:requestBodyProcessor=XML"
`;

/** One rule per path the warm-up must take: each body processor, the response body, an attack that blocks. */
const PROBES = `
SecRule REQBODY_PROCESSOR "@streq JSON" "id:11,phase:2,pass,log"
SecRule REQBODY_PROCESSOR "@streq XML" "id:12,phase:2,pass,log"
SecRule REQBODY_PROCESSOR "@streq MULTIPART" "id:13,phase:2,pass,log"
SecRule REQBODY_PROCESSOR "@streq URLENCODED" "id:14,phase:2,pass,log"
SecRule FILES_NAMES "@rx ^upload$" "id:15,phase:2,pass,log"
SecRule XML:/* "@rx ." "id:16,phase:2,pass,log"
SecRule RESPONSE_BODY "@rx ." "id:17,phase:4,pass,log"
SecRule ARGS "@detectSQLi" "id:18,phase:2,deny,status:403,log"
SecRule ARGS "@detectXSS" "id:19,phase:2,deny,status:403,log"
`;

/** The real engine, keeping every transaction it made so that a test can read what matched. */
function recording(waf: Waf): { waf: Waf; made: Transaction[]; forgotten: () => number } {
  const made: Transaction[] = [];
  let forgets = 0;
  return {
    made,
    forgotten: () => forgets,
    waf: {
      settings: waf.settings,
      ruleCount: waf.ruleCount,
      setValueCacheBudget: (bytes) => waf.setValueCacheBudget(bytes),
      forgetValues: () => {
        forgets++;
        waf.forgetValues();
      },
      newTransaction(id) {
        const tx = waf.newTransaction(id);
        made.push(tx);
        return tx;
      },
    },
  };
}

/** A Waf whose transactions each take `ms` of busy CPU and may throw. */
function slowWaf(ms: number, throwEvery = 0): Waf {
  let n = 0;
  const base = createWaf([{ text: 'SecRuleEngine On' }]);
  return {
    settings: base.settings,
    ruleCount: 0,
    setValueCacheBudget() {},
    forgetValues() {},
    newTransaction(id) {
      const tx = base.newTransaction(id);
      const index = n++;
      return new Proxy(tx, {
        get(target, property) {
          const value = Reflect.get(target, property) as unknown;
          if (property !== 'processUri' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
          return (...args: unknown[]) => {
            const until = performance.now() + ms;
            while (performance.now() < until);
            if (throwEvery > 0 && index % throwEvery === 0) throw new Error(`broken on transaction ${index}`);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
    },
  };
}

describe('engine warm-up', () => {
  it('takes every path a real request takes: each body processor, files, XML, the response body, and blocking attacks', async () => {
    const { waf, made, forgotten } = recording(createWaf([{ text: BASE + PROBES }]));
    const report = await warmUp(waf, { budgetMs: 60_000, transactions: 200 });
    assert.equal(report.transactions, 200);
    assert.equal(report.failures, 0, report.firstFailure);
    assert.equal(made.length, 200);
    const matched = new Set(made.flatMap((tx) => tx.matchedRules.map((r) => r.id)));
    for (const id of [11, 12, 13, 14, 15, 16, 17, 18, 19]) assert.ok(matched.has(id), `rule ${id} never matched during the warm-up`);
    const blocked = made.filter((tx) => tx.interruption !== null).length;
    assert.ok(blocked > 0 && blocked < made.length / 4, `blocked ${blocked} of ${made.length}: attacks should be a few, not none or most`);
    assert.equal(forgotten(), 1, 'the value cache is emptied once, at the end');
  });

  it('sends different values from one request to the next, and the same sequence in every process', async () => {
    const targets = async (): Promise<(string | undefined)[]> => {
      const { waf, made } = recording(createWaf([{ text: `${BASE}SecRule REQUEST_URI "@rx ." "id:30,phase:1,pass,log"` }]));
      await warmUp(waf, { budgetMs: 60_000, transactions: 40 });
      return made.map((tx) => tx.matchedRules[0]?.matchedValue);
    };
    const first = await targets();
    assert.equal(first.length, 40);
    assert.ok(first.every((uri) => uri !== undefined && uri.startsWith('/')));
    // Form and XML posts go to a few endpoints, as in real traffic; GET, JSON and upload targets carry ids.
    assert.ok(new Set(first).size >= 30, `request targets repeat too often: ${new Set(first).size} distinct of 40`);
    assert.deepEqual(await targets(), first);
  });

  it('stops at its time budget and counts no transaction twice', async () => {
    // 20 ms each with a 100 ms budget: at most 6 start, however slow or fast the machine is.
    const report = await warmUp(slowWaf(20), { budgetMs: 100 });
    assert.ok(report.transactions >= 1 && report.transactions <= 6, `ran ${report.transactions}`);
    assert.ok(report.transactions < DEFAULT_WARM_UP_TRANSACTIONS);
    assert.equal((await warmUp(slowWaf(0), { budgetMs: 0 })).transactions, 0);
  });

  it('lets the event loop run between slices (health checks, signals)', async () => {
    let finished = false;
    const done = warmUp(slowWaf(2), { budgetMs: 60_000, transactions: 30 }).then(() => {
      finished = true;
    });
    const timerRan = await new Promise<boolean>((resolve) => setTimeout(() => resolve(!finished), 0));
    await done;
    assert.equal(timerRan, true, 'a timer due at once waited for the whole warm-up');
  });

  it('counts transactions in which the engine throws, keeps the first message, and goes on', async () => {
    const report = await warmUp(slowWaf(0, 5), { budgetMs: 60_000, transactions: 20 });
    assert.equal(report.transactions, 20);
    assert.equal(report.failures, 4);
    assert.equal(report.firstFailure, 'broken on transaction 0');
  });
});
