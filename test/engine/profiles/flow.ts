import type { Profile } from './types.ts';

const H: [string, string][] = [['Host', 'localhost']];

export const profiles: Profile[] = [
  {
    name: 'chains: every link must match; links run their setvars on each match',
    rules: `
SecRule REQUEST_METHOD "@streq POST" "id:10,phase:1,deny,status:418,chain,setvar:tx.link1=1"
  SecRule REQUEST_HEADERS:X-A "@streq yes" "chain,setvar:tx.link2=1"
  SecRule REQUEST_HEADERS:X-B "@streq yes" "setvar:tx.link3=1"
SecAction "id:11,phase:1,pass,log"
`,
    cases: [
      {
        name: 'all links match',
        request: { method: 'POST', headers: [...H, ['X-A', 'yes'], ['X-B', 'yes']] },
        expect: { triggered: [10], notTriggered: [11], interruption: { status: 418, ruleId: 10 } },
      },
      {
        name: 'second link fails: no match, but the first link already ran its setvar',
        request: { method: 'POST', headers: [...H, ['X-A', 'no'], ['X-B', 'yes']] },
        expect: { triggered: [11], notTriggered: [10], interruption: null, tx: { link1: '1', link2: '', link3: '' } },
      },
    ],
  },
  {
    name: 'skip and skipAfter with SecMarker',
    rules: `
SecAction "id:20,phase:1,pass,nolog,skip:2"
SecAction "id:21,phase:1,pass,log"
SecRule REQUEST_URI "@rx ." "id:22,phase:1,pass,log,chain"
  SecRule REQUEST_URI "@rx ." "t:none"
SecAction "id:23,phase:1,pass,log"
SecRule REQUEST_URI "@rx /jump" "id:24,phase:1,pass,nolog,skipAfter:END"
SecAction "id:25,phase:1,pass,log"
SecMarker END
SecAction "id:26,phase:1,pass,log"
SecRule REQUEST_URI "@rx /missing" "id:27,phase:1,pass,nolog,skipAfter:NOWHERE"
SecAction "id:28,phase:1,pass,log"
SecAction "id:29,phase:2,pass,log"
`,
    cases: [
      { name: 'skip:2 passes over a rule and a chain', request: { uri: '/', headers: H }, expect: { triggered: [23, 25, 26, 28, 29], notTriggered: [21, 22] } },
      { name: 'skipAfter jumps past the marker', request: { uri: '/jump', headers: H }, expect: { triggered: [23, 26, 28], notTriggered: [25] } },
      { name: 'skipAfter to an absent marker ends the phase only', request: { uri: '/missing', headers: H }, expect: { triggered: [26, 29], notTriggered: [28] } },
    ],
  },
  {
    name: 'allow: whole transaction, phase, request',
    rules: `
SecRule ARGS:a "@streq all" "id:30,phase:1,allow"
SecRule ARGS:a "@streq phase" "id:31,phase:1,allow:phase"
SecRule ARGS:a "@streq request" "id:32,phase:1,allow:request"
SecAction "id:33,phase:1,pass,log"
SecAction "id:34,phase:2,pass,log"
SecAction "id:35,phase:3,pass,log"
SecAction "id:36,phase:5,pass,log"
`,
    cases: [
      { name: 'allow skips every later phase but logging', request: { uri: '/?a=all', headers: H }, expect: { triggered: [30, 36], notTriggered: [33, 34, 35] } },
      { name: 'allow:phase ends only phase 1', request: { uri: '/?a=phase', headers: H }, expect: { triggered: [31, 34, 35, 36], notTriggered: [33] } },
      { name: 'allow:request skips request phases only', request: { uri: '/?a=request', headers: H }, expect: { triggered: [32, 35, 36], notTriggered: [33, 34] } },
    ],
  },
  {
    name: 'block takes SecDefaultAction of its phase; t:none drops inherited transformations',
    rules: `
SecDefaultAction "phase:1,log,auditlog,deny,status:406,t:lowercase"
SecDefaultAction "phase:2,log,auditlog,pass"
SecRule ARGS:q "@streq abc" "id:40,phase:1,block"
SecRule ARGS:r "@streq abc" "id:41,phase:1,pass,t:none,log"
SecRule ARGS:s "@streq abc" "id:42,phase:2,block"
SecRule ARGS:d "@streq x" "id:43,phase:1,deny"
`,
    cases: [
      { name: 'inherited lowercase and deny', request: { uri: '/?q=ABC', headers: H }, expect: { triggered: [40], interruption: { status: 406, ruleId: 40 } } },
      { name: 't:none removes the inherited lowercase', request: { uri: '/?r=ABC', headers: H }, expect: { notTriggered: [41], interruption: null } },
      { name: 'phase 2 block resolves to pass', request: { uri: '/?s=abc', headers: H }, expect: { triggered: [42], interruption: null } },
      { name: 'an explicit deny still takes the default status', request: { uri: '/?d=x', headers: H }, expect: { interruption: { status: 406, ruleId: 43 } } },
    ],
  },
  {
    name: 'DetectionOnly records the first would-be interruption and never disrupts; Off runs nothing',
    rules: `
SecRuleEngine DetectionOnly
SecRule ARGS "@rx x" "id:50,phase:1,deny,status:403"
SecRule ARGS "@rx x" "id:51,phase:1,deny,status:405"
SecAction "id:52,phase:2,pass,log"
`,
    cases: [
      {
        name: 'both rules match, nothing is interrupted',
        request: { uri: '/?a=x', headers: H },
        expect: { triggered: [50, 51, 52], interruption: null, wouldInterrupt: { status: 403, ruleId: 50 } },
      },
    ],
  },
  {
    name: 'ctl:ruleEngine=Off stops later phases',
    rules: `
SecRule REQUEST_URI "@beginsWith /off" "id:60,phase:1,pass,nolog,ctl:ruleEngine=Off"
SecAction "id:61,phase:1,pass,log"
SecAction "id:62,phase:2,pass,log"
`,
    cases: [
      { name: 'no later rule runs (v2 checks the engine before each rule)', request: { uri: '/off', headers: H }, expect: { notTriggered: [61, 62] } },
      { name: 'other requests are unaffected', request: { uri: '/on', headers: H }, expect: { triggered: [61, 62] } },
    ],
  },
  {
    name: 'repeated values are matched again after a match ran actions (operator results are memoized per link)',
    rules: `
SecAction "id:250,phase:1,pass,nolog,setvar:tx.want=a"
SecRule ARGS "@streq %{tx.want}" "id:251,phase:1,pass,log,setvar:tx.want=b,setvar:tx.n=+1"
`,
    cases: [{ name: 'b (no match), a (match: want becomes b), b (match)', request: { uri: '/?p=b&q=a&r=b' }, expect: { triggered: [251], tx: { n: '2' } } }],
  },
];
