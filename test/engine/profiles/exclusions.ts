import type { Profile } from './types.ts';

const H: [string, string][] = [['Host', 'localhost']];

export const profiles: Profile[] = [
  {
    name: 'ctl removals at run time',
    rules: `
SecRule ARGS:rm "@streq id" "id:200,phase:1,pass,nolog,ctl:ruleRemoveById=210-211"
SecRule ARGS:rm "@streq tag" "id:201,phase:1,pass,nolog,ctl:ruleRemoveByTag=^attack-x"
SecRule ARGS:rm "@streq target" "id:202,phase:1,pass,nolog,ctl:ruleRemoveTargetById=212;ARGS:q"
SecRule ARGS:rm "@streq targettag" "id:203,phase:1,pass,nolog,ctl:ruleRemoveTargetByTag=attack-y;ARGS:q"
SecRule ARGS "@rx evil" "id:210,phase:2,pass,log"
SecRule ARGS "@rx evil" "id:211,phase:2,pass,log,tag:'attack-xss'"
SecRule ARGS "@rx evil" "id:212,phase:2,pass,log,tag:'attack-y'"
`,
    cases: [
      { name: 'nothing removed', request: { uri: '/?q=evil', headers: H }, expect: { triggered: [210, 211, 212] } },
      { name: 'by id range', request: { uri: '/?q=evil&rm=id', headers: H }, expect: { triggered: [212], notTriggered: [210, 211] } },
      { name: 'by tag regex', request: { uri: '/?q=evil&rm=tag', headers: H }, expect: { triggered: [210, 212], notTriggered: [211] } },
      { name: 'target by id', request: { uri: '/?q=evil&rm=target', headers: H }, expect: { triggered: [210, 211], notTriggered: [212] } },
      { name: 'target by tag', request: { uri: '/?q=evil&rm=targettag', headers: H }, expect: { triggered: [210, 211], notTriggered: [212] } },
    ],
  },
  {
    name: 'load-time removals and updates',
    rules: `
SecRule ARGS "@rx evil" "id:220,phase:1,pass,log"
SecRule ARGS "@rx evil" "id:221,phase:1,pass,log,tag:'drop-me'"
SecRule ARGS "@rx evil" "id:222,phase:1,pass,log,msg:'remove by msg'"
SecRule ARGS "@rx evil" "id:223,phase:1,pass,log"
SecRule ARGS "@rx evil" "id:224,phase:1,pass,log"
SecRuleRemoveById 220
SecRuleRemoveByTag drop-me
SecRuleRemoveByMsg "by msg$"
SecRuleUpdateTargetById 223 "!ARGS:safe"
SecRuleUpdateActionById 224 "deny,status:409"
`,
    cases: [
      { name: 'removed rules never run; exclusion added', request: { uri: '/?safe=evil', headers: H }, expect: { notTriggered: [220, 221, 222, 223], triggered: [224], interruption: { status: 409, ruleId: 224 } } },
    ],
  },
  {
    name: 'SecRuleUpdateActionById merges as ModSecurity v2 (single actions replaced, repeatable ones appended)',
    rules: `
SecRule ARGS:a "@streq x" "id:230,phase:1,pass,log,msg:'old',tag:'a1',setvar:tx.n=+1,t:none,t:lowercase"
SecRuleUpdateActionById 230 "id:230,phase:1,msg:'new %{MATCHED_VAR}',tag:'t2',setvar:tx.n=+10"
SecRule ARGS:a "@streq x" "id:231,phase:1,pass,log,tag:'t1'"
SecRuleUpdateActionById 231 "tag:'t2'"
SecRuleRemoveByTag ^t1$
SecRule ARGS:b "@rx ." "id:232,phase:1,allow:phase,log"
SecRuleUpdateActionById 232 "msg:'kept scope'"
SecRule ARGS:b "@rx ." "id:233,phase:1,pass,log,setvar:tx.after_allow=1"
SecRule ARGS:c "@rx ." "id:234,phase:1,redirect:http://example.com/,log"
SecRuleUpdateActionById 234 "msg:'kept url'"
`,
    cases: [
      {
        name: 'setvar appended, t: kept; tags appended (removal by the first tag still applies)',
        request: { uri: '/?a=X', headers: H },
        expect: { triggered: [230], notTriggered: [231], tx: { n: '11' }, msg: { 230: 'new x' } },
      },
      { name: 'allow:phase survives an update without a disruptive action', request: { uri: '/?b=1', headers: H }, expect: { triggered: [232], notTriggered: [233] } },
      { name: 'the redirect URL survives an update', request: { uri: '/?c=1', headers: H }, expect: { interruption: { status: 302, ruleId: 234, action: 'redirect', url: 'http://example.com/' } } },
    ],
  },
  {
    name: 'SecRuleUpdateActionById refuses another phase',
    rules: `
SecRule ARGS "@rx x" "id:240,phase:1,pass"
SecRuleUpdateActionById 240 "phase:2"
`,
    loadErrors: [/:3: SecRuleUpdateActionById: rule phases cannot be updated/],
    cases: [],
  },
];
