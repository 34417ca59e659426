import type { Profile } from './types.ts';

export const profiles: Profile[] = [
  {
    name: 'load errors carry file:line and are all reported',
    rules: `SecRuleEngine On
SecBogusDirective on
SecRule ARGS "@rx x" "id:1,phase:2,pass,bogusaction"
SecRule ARGS "@rx x" "phase:2,pass"
SecRule NOT_A_VAR "@rx x" "id:2,phase:2,pass"
SecRule ARGS "@rx x" "id:3,phase:2,pass,t:notATransformation"
SecRule ARGS "@noSuchOperator x" "id:4,phase:2,pass"
SecAction "id:5,phase:2,pass,proxy:http://x"
SecRule ARGS "@rx x" "id:6,phase:2,deny,chain"
  SecRule ARGS "@rx y" "id:7,deny"
SecAction "id:8,phase:2,pass"
SecAction "id:8,phase:2,pass"
SecRule ARGS "@rx x" "id:9,phase:2,pass,chain"
`,
    loadErrors: [
      /profile\.conf:2: unsupported directive SecBogusDirective/,
      /profile\.conf:3: unsupported action bogusaction/,
      /profile\.conf:4: rule has no id/,
      /profile\.conf:5: unsupported variable NOT_A_VAR/,
      /profile\.conf:6: unsupported transformation notATransformation/,
      /profile\.conf:7: unsupported operator @noSuchOperator/,
      /profile\.conf:8: unsupported action proxy/,
      /profile\.conf:10: action id is not allowed in a chained rule/,
      /profile\.conf:12: duplicate rule id 8/,
      /profile\.conf:13: rule has chain but no rule follows it/,
    ],
    cases: [],
  },
];
