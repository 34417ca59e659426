import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createWaf } from './index.ts';
import type { Waf } from './api.ts';
import { runRequest } from '../../test/engine/harness.ts';

/** A rule that removes ARGS:skip from rule 100 (tagged `t-one`, msg `alpha`) when ?off=1, then the rule itself. */
function waf(ctl: string): Waf {
  return createWaf([
    {
      text: [
        `SecRule ARGS:off "@streq 1" "id:10,phase:1,pass,nolog,${ctl}"`,
        `SecRule ARGS "@rx evil" "id:100,phase:1,deny,status:403,tag:'t-one',msg:'alpha rule'"`,
        `SecRule ARGS "@rx evil" "id:200,phase:2,deny,status:406,tag:'t-two',msg:'beta rule'"`,
      ].join('\n'),
    },
  ]);
}

function status(w: Waf, uri: string): number | 'pass' {
  return runRequest(w, { uri, headers: [['Host', 'example.com']] }).interruption?.status ?? 'pass';
}

describe('ctl:ruleRemoveTargetBy* (memoized per rule, applied per transaction)', () => {
  for (const ctl of ['ctl:ruleRemoveTargetById=100;ARGS:skip', 'ctl:ruleRemoveTargetByTag=t-one;ARGS:skip', 'ctl:ruleRemoveTargetByMsg=alpha;ARGS:skip']) {
    it(ctl, () => {
      const w = waf(ctl);
      // The removal spares rule 100 only: rule 200 still sees ARGS:skip.
      assert.equal(status(w, '/?off=1&skip=evil'), 406);
      // A later transaction without the ctl has the target back.
      assert.equal(status(w, '/?skip=evil'), 403);
      assert.equal(status(w, '/?off=1&skip=evil'), 406);
      // Other arguments stay targets of rule 100.
      assert.equal(status(w, '/?off=1&other=evil'), 403);
    });
  }
});
