import type { Profile } from './types.ts';

const FORM: [string, string][] = [['Host', 'localhost'], ['Content-Type', 'application/x-www-form-urlencoded']];

export const profiles: Profile[] = [
  {
    name: 'request body processors',
    rules: `
SecRequestBodyAccess On
SecRule REQUEST_HEADERS:Content-Type "@rx ^application/json" "id:300,phase:1,pass,nolog,ctl:requestBodyProcessor=JSON"
SecRule ARGS_POST:a "@streq 1" "id:301,phase:2,pass,log"
SecRule ARGS:user.name "@streq bob" "id:302,phase:2,pass,log"
SecRule REQUEST_BODY "@contains a=1" "id:303,phase:2,pass,log"
SecRule REQBODY_PROCESSOR "@streq URLENCODED" "id:304,phase:1,pass,log"
SecRule REQBODY_ERROR "@eq 1" "id:305,phase:2,pass,log"
SecRule &REQUEST_BODY "@eq 0" "id:306,phase:2,pass,log"
`,
    cases: [
      { name: 'urlencoded', request: { method: 'POST', headers: FORM, body: 'a=1&b=2' }, expect: { triggered: [301, 303, 304], notTriggered: [305, 306] } },
      {
        name: 'JSON via ctl',
        request: { method: 'POST', headers: [['Host', 'localhost'], ['Content-Type', 'application/json']], body: '{"user":{"name":"bob"}}' },
        expect: { triggered: [302, 306], notTriggered: [303, 304, 305] },
      },
      {
        name: 'invalid JSON sets REQBODY_ERROR',
        request: { method: 'POST', headers: [['Host', 'localhost'], ['Content-Type', 'application/json']], body: '{"user":' },
        expect: { triggered: [305] },
      },
    ],
  },
  {
    name: 'JSON parse errors: v2 wording in REQBODY_ERROR_MSG, arguments before the error stay in ARGS',
    rules: `
SecRule REQUEST_HEADERS:Content-Type "@rx ^application/json" "id:350,phase:1,pass,nolog,ctl:requestBodyProcessor=JSON"
SecRule REQBODY_ERROR_MSG "@beginsWith JSON parsing error: " "id:351,phase:2,pass,log,logdata:'%{MATCHED_VAR}'"
SecRule ARGS:a "@streq x" "id:352,phase:2,pass,log"
SecRule ARGS_POST:b "@streq y" "id:353,phase:2,pass,log"
`,
    cases: [
      {
        name: 'truncated object',
        request: { method: 'POST', headers: [['Host', 'localhost'], ['Content-Type', 'application/json']], body: '{"a":"x","b":"y","c":' },
        expect: { triggered: [351, 352, 353] },
      },
    ],
  },
  {
    name: 'SecUploadFileLimit is not checked (v2 checks it only when extracting uploads to disk)',
    rules: `
SecUploadFileLimit 1
SecRule MULTIPART_FILE_LIMIT_EXCEEDED "@eq 0" "id:360,phase:2,pass,log"
SecRule &FILES "@eq 2" "id:361,phase:2,pass,log"
`,
    cases: [
      {
        name: 'two files, limit 1',
        request: {
          method: 'POST',
          headers: [['Host', 'localhost'], ['Content-Type', 'multipart/form-data; boundary=b']],
          body:
            '--b\r\nContent-Disposition: form-data; name="f1"; filename="a.txt"\r\n\r\nA\r\n' +
            '--b\r\nContent-Disposition: form-data; name="f2"; filename="b.txt"\r\n\r\nB\r\n--b--\r\n',
        },
        expect: { triggered: [360, 361] },
      },
    ],
  },
  {
    name: 'body limit Reject answers 413',
    rules: `
SecRequestBodyAccess On
SecRequestBodyLimit 10
SecRequestBodyNoFilesLimit 10
SecRule ARGS "@rx ." "id:310,phase:2,pass,log"
`,
    cases: [
      { name: 'over the limit', request: { method: 'POST', headers: FORM, body: 'a=12345678901' }, expect: { notTriggered: [310], interruption: { status: 413, ruleId: 0 } } },
      { name: 'within the limit', request: { method: 'POST', headers: FORM, body: 'a=1' }, expect: { triggered: [310], interruption: null } },
    ],
  },
  {
    name: 'body limit ProcessPartial inspects the first bytes',
    rules: `
SecRequestBodyAccess On
SecRequestBodyLimit 10
SecRequestBodyNoFilesLimit 100
SecRequestBodyLimitAction ProcessPartial
SecRule ARGS:a "@streq 12345678" "id:320,phase:2,pass,log"
SecRule INBOUND_DATA_ERROR "@eq 1" "id:321,phase:2,pass,log"
`,
    cases: [{ name: 'truncated to 10 bytes', request: { method: 'POST', headers: FORM, body: 'a=12345678901234' }, expect: { triggered: [320, 321], interruption: null } }],
  },
  {
    name: 'the no-files limit rejects even with ProcessPartial (ModSecurity v2), and sets REQBODY_ERROR in DetectionOnly',
    rules: `
SecRuleEngine DetectionOnly
SecRequestBodyLimit 1000
SecRequestBodyNoFilesLimit 8
SecRequestBodyLimitAction ProcessPartial
SecRule REQBODY_ERROR "@eq 1" "id:330,phase:2,pass,log"
`,
    cases: [
      {
        name: 'over the no-files limit',
        request: { method: 'POST', headers: FORM, body: 'a=12345678' },
        expect: { triggered: [330], interruption: null, wouldInterrupt: { status: 413, ruleId: 0 } },
      },
    ],
  },

  {
    name: 'XML processor and XPath targets',
    rules: `
SecRequestBodyAccess On
SecRule REQUEST_HEADERS:Content-Type "@rx ^text/xml" "id:340,phase:1,pass,nolog,ctl:requestBodyProcessor=XML"
SecRule XML:/* "@contains evil" "id:341,phase:2,pass,log"
SecRule &XML:/root/item "@eq 2" "id:342,phase:2,pass,log"
SecRule XML://@id "@streq 7" "id:343,phase:2,pass,log"
SecRule REQBODY_ERROR "@eq 1" "id:344,phase:2,pass,log"
`,
    cases: [
      {
        name: 'values and counts from the document',
        request: { method: 'POST', headers: [['Host', 'localhost'], ['Content-Type', 'text/xml']], body: '<root><item id="7">evil</item><item>ok</item></root>' },
        expect: { triggered: [341, 342, 343], notTriggered: [344] },
      },
      {
        name: 'malformed XML sets REQBODY_ERROR',
        request: { method: 'POST', headers: [['Host', 'localhost'], ['Content-Type', 'text/xml']], body: '<root><item>' },
        expect: { triggered: [344], notTriggered: [341] },
      },
    ],
  },
  {
    name: 'xmlns: XPath names match by namespace URI, not by the document prefix (ModSecurity v2 / libxml2)',
    rules: `
SecRule REQUEST_HEADERS:Content-Type "@rx ^text/xml" "id:370,phase:1,pass,nolog,ctl:requestBodyProcessor=XML"
SecRule XML:/soap:Envelope/soap:Body/m:order "@streq 42" "id:371,phase:2,pass,log,xmlns:soap=http://schemas.xmlsoap.org/soap/envelope/,xmlns:m=urn:shop"
SecRule XML:/s:Envelope/s:Body "@rx ." "id:372,phase:2,pass,log"
SecRule &XML:/Envelope "@eq 0" "id:373,phase:2,pass,log"
SecRule XML://m:order/@m:unit "@streq kg" "id:374,phase:2,pass,log,xmlns:m=urn:shop"
SecRule XML:/* "@contains 42" "id:375,phase:2,pass,log"
SecRule &XML://item "@eq 1" "id:376,phase:2,pass,log"
`,
    cases: [
      {
        name: 'SOAP envelope with other prefixes and a default namespace',
        request: {
          method: 'POST',
          headers: [['Host', 'localhost'], ['Content-Type', 'text/xml']],
          body:
            '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
            '<order xmlns="urn:shop" xmlns:x="urn:shop" x:unit="kg">42</order><item xmlns="">1</item></s:Body></s:Envelope>',
        },
        // 372: the rule binds no prefix s, so s:Envelope selects nothing; 373: /Envelope is not in no namespace.
        expect: { triggered: [371, 373, 374, 375, 376], notTriggered: [372] },
      },
    ],
  },
  {
    name: 'xmlns needs prefix=uri',
    rules: `SecRule XML:/a "@rx x" "id:380,phase:2,pass,xmlns:nouri"`,
    loadErrors: [/:1: xmlns: expected prefix=uri, got 'nouri'/],
    cases: [],
  },
];
