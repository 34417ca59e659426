import type { Profile } from './types.ts';

const H: [string, string][] = [['Host', 'localhost']];

export const profiles: Profile[] = [
  {
    name: 'targets: counts, exclusions, regex keys, case-insensitive keys',
    rules: `
SecRule &ARGS "@eq 3" "id:70,phase:1,pass,log"
SecRule &ARGS:dup "@eq 2" "id:71,phase:1,pass,log"
SecRule &REQUEST_HEADERS:X-Missing "@eq 0" "id:72,phase:1,pass,log"
SecRule ARGS|!ARGS:dup "@rx evil" "id:73,phase:1,pass,log"
SecRule ARGS:/^pre_/ "@rx hit" "id:74,phase:1,pass,log"
SecRule REQUEST_HEADERS:user-agent "@streq UA" "id:75,phase:1,pass,log"
SecRule ARGS:/^PRE_/|!ARGS:/_b$/ "@rx hit" "id:76,phase:1,pass,log"
SecRule ARGS_NAMES "@streq dup" "id:77,phase:1,pass,log"
SecRule REQUEST_HEADERS_NAMES "@rx ^User-Agent$" "id:78,phase:1,pass,log"
`,
    cases: [
      {
        name: 'counts and keyed matches',
        request: { uri: '/?dup=evil&dup=2&pre_a=hit', headers: [...H, ['User-Agent', 'UA']] },
        expect: { triggered: [70, 71, 72, 74, 75, 76, 77, 78], notTriggered: [73], matchedVar: { 74: 'hit' } },
      },
      {
        name: 'exclusion does not hide other args; regex exclusion applies',
        request: { uri: '/?a=evil&pre_b=hit&x=1', headers: H },
        expect: { triggered: [70, 73, 74], notTriggered: [76] },
      },
    ],
  },
  {
    name: 'URI variables: decoded path (Apache), raw query, request line',
    rules: `
SecRule REQUEST_FILENAME "@streq /a b/c+%zz.php" "id:80,phase:1,pass,log"
SecRule REQUEST_BASENAME "@streq c+%zz.php" "id:81,phase:1,pass,log"
SecRule QUERY_STRING "@streq x=1&y=%41" "id:82,phase:1,pass,log"
SecRule REQUEST_URI "@streq /a b/c+%zz.php?x=1&y=%41" "id:83,phase:1,pass,log"
SecRule REQUEST_LINE "@streq GET /a%20b/c+%zz.php?x=1&y=%41#frag HTTP/1.1" "id:84,phase:1,pass,log"
SecRule ARGS_GET:y "@streq A" "id:85,phase:1,pass,log"
SecRule REQUEST_URI_RAW "@endsWith #frag" "id:86,phase:1,pass,log"
`,
    cases: [
      {
        name: 'all URI parts',
        request: { uri: '/a%20b/c+%zz.php?x=1&y=%41#frag', headers: H },
        expect: { triggered: [80, 81, 82, 83, 84, 85, 86] },
      },
    ],
  },
  {
    name: 'repeated request headers are merged as Apache does',
    rules: `
SecRule &REQUEST_HEADERS:X-Dup "@eq 1" "id:95,phase:1,pass,log"
SecRule REQUEST_HEADERS:x-dup "@streq a, b" "id:96,phase:1,pass,log"
SecRule REQUEST_COOKIES:b "@streq 2" "id:97,phase:1,pass,log"
`,
    cases: [
      {
        name: 'two X-Dup headers and two Cookie headers',
        request: { headers: [...H, ['X-Dup', 'a'], ['x-dup', 'b'], ['Cookie', 'a=1'], ['Cookie', 'b=2']] },
        expect: { triggered: [95, 96, 97] },
      },
    ],
  },
  {
    name: 'cookies (version 0)',
    rules: `
SecRule REQUEST_COOKIES:session "@streq abc=def" "id:90,phase:1,pass,log"
SecRule REQUEST_COOKIES_NAMES "@streq flag" "id:91,phase:1,pass,log"
SecRule &REQUEST_COOKIES "@eq 3" "id:92,phase:1,pass,log"
`,
    cases: [
      {
        name: 'split on ; with spaces, = in value, name without value',
        request: { headers: [...H, ['Cookie', 'session=abc=def;  flag; other=1']] },
        expect: { triggered: [90, 91, 92] },
      },
    ],
  },
  {
    name: 'setvar arithmetic and macros',
    rules: `
SecAction "id:100,phase:1,pass,nolog,setvar:tx.n=10,setvar:tx.n=+5,setvar:tx.n=-3,setvar:tx.m=-4,setvar:tx.flag,setvar:tx.gone=1,setvar:!tx.gone"
SecAction "id:101,phase:1,pass,nolog,setvar:'tx.msg=%{tx.n} from %{REQUEST_HEADERS.host} rule %{rule.id}',setvar:tx.%{tx.n}_key=yes"
SecRule ARGS:a "@rx ^(\\d+)-(\\d+)$" "id:102,phase:1,pass,log,capture,setvar:tx.sum=%{tx.1},setvar:tx.sum=+%{TX.2},logdata:'got %{MATCHED_VAR} in %{MATCHED_VAR_NAME}'"
SecRule TX:n "@eq 12" "id:103,phase:1,pass,log"
`,
    cases: [
      {
        name: 'arithmetic, removal, macro expansion, captures',
        request: { uri: '/?a=3-4', headers: H },
        expect: {
          triggered: [102, 103],
          tx: { n: '12', m: '0', flag: '1', gone: '', msg: '12 from localhost rule 101', '12_key': 'yes', sum: '7', '0': '3-4', '1': '3' },
          logdata: { 102: 'got 3-4 in ARGS:a' },
        },
      },
    ],
  },
  {
    name: 'multiMatch runs the operator after every changing transformation',
    rules: `
SecRule ARGS:a "@streq %41" "id:110,phase:1,pass,log,t:none,t:urlDecode,multiMatch"
SecRule ARGS:a "@streq %41" "id:111,phase:1,pass,log,t:none,t:urlDecode"
`,
    cases: [{ name: 'raw value matches only with multiMatch', request: { uri: '/?a=%2541', headers: H }, expect: { triggered: [110], notTriggered: [111] } }],
  },
  {
    name: 'negated operators match per value, and never without values',
    rules: `
SecRule ARGS "!@rx ^ok$" "id:120,phase:1,pass,log"
SecRule REQUEST_HEADERS:X-None "!@rx x" "id:121,phase:1,pass,log"
`,
    cases: [
      { name: 'one bad value', request: { uri: '/?a=ok&b=bad', headers: H }, expect: { triggered: [120], notTriggered: [121], matchedVar: { 120: 'bad' } } },
      { name: 'all ok', request: { uri: '/?a=ok', headers: H }, expect: { notTriggered: [120, 121] } },
    ],
  },
];
