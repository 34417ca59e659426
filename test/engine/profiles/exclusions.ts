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
];
