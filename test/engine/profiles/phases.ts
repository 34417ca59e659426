import type { Profile } from './types.ts';

const H: [string, string][] = [['Host', 'localhost']];

export const profiles: Profile[] = [
  {
    name: 'phases run in order and stop at the first interruption',
    rules: `
SecRuleEngine On
SecRule REQUEST_URI "@rx /p1" "id:1,phase:1,deny,status:401"
SecRule REQUEST_URI "@rx /p2" "id:2,phase:request,deny,status:402"
SecRule RESPONSE_STATUS "@streq 200" "id:3,phase:3,deny,status:403"
SecRule RESPONSE_BODY "@contains secret" "id:4,phase:response,deny,status:404"
SecAction "id:5,phase:logging,pass,log"
SecAction "id:6,phase:2,pass,log,setvar:tx.phase2=1"
`,
    cases: [
      { name: 'phase 1 deny', request: { uri: '/p1', headers: H }, expect: { triggered: [1, 5], notTriggered: [2, 6], interruption: { status: 401, ruleId: 1 } } },
      { name: 'phase 2 deny', request: { uri: '/p2', headers: H }, expect: { triggered: [2, 5], notTriggered: [1, 6], interruption: { status: 402, ruleId: 2 } } },
      { name: 'phase 3 deny', request: { uri: '/x', headers: H }, expect: { triggered: [3, 5, 6], interruption: { status: 403, ruleId: 3 }, tx: { phase2: '1' } } },
    ],
  },
  {
    name: 'response body phase reads RESPONSE_BODY for listed MIME types',
    rules: `
SecRuleEngine On
SecResponseBodyAccess On
SecResponseBodyMimeType text/plain
SecResponseBodyMimeType text/html
SecRule RESPONSE_BODY "@contains secret" "id:4,phase:4,deny,status:500"
`,
    cases: [
      {
        name: 'text/html is listed (the second directive adds to the first)',
        request: { headers: H, response: { status: 200, headers: [['Content-Type', 'text/html; charset=utf-8']], body: 'a secret here' } },
        expect: { triggered: [4], interruption: { status: 500, ruleId: 4 } },
      },
      {
        name: 'application/json is not listed',
        request: { headers: H, response: { status: 200, headers: [['Content-Type', 'application/json']], body: 'secret' } },
        expect: { notTriggered: [4], interruption: null },
      },
    ],
  },

  {
    name: 'audit relevance: SecAuditEngine RelevantOnly, auditlog/noauditlog, relevant status, ctl:auditEngine',
    rules: `
SecAuditEngine RelevantOnly
SecAuditLogRelevantStatus "^5"
SecRule ARGS:a "@streq log" "id:130,phase:1,pass,log"
SecRule ARGS:a "@streq quiet" "id:131,phase:1,pass,nolog"
SecRule ARGS:a "@streq quietaudit" "id:132,phase:1,pass,nolog,auditlog"
SecRule ARGS:a "@streq off" "id:133,phase:1,pass,log,ctl:auditEngine=Off"
`,
    cases: [
      { name: 'a logged match is relevant', request: { uri: '/?a=log', headers: H }, expect: { triggered: [130], auditRelevant: true } },
      { name: 'nolog is not', request: { uri: '/?a=quiet', headers: H }, expect: { notTriggered: [131], auditRelevant: false } },
      { name: 'nolog,auditlog is', request: { uri: '/?a=quietaudit', headers: H }, expect: { auditRelevant: true } },
      { name: 'a 5xx response is', request: { uri: '/', headers: H, response: { status: 503 } }, expect: { auditRelevant: true } },
      { name: 'ctl:auditEngine=Off wins', request: { uri: '/?a=off', headers: H }, expect: { triggered: [133], auditRelevant: false } },
    ],
  },
];
