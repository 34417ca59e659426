/**
 * The engines the proxy suites run against: the fake (test/proxy/fake-waf.ts,
 * which records what it was fed) and the real SecLang engine with a small
 * inline ruleset that behaves like the fake on the contract cases:
 *
 *   1  phase 1  `attack` in the request-target or a header → deny 403
 *   2  phase 2  `attack` in a body argument → deny 403
 *   -  `engine-throws` in the URI → the transaction throws (a wrapper, for both)
 */
import type { Transaction, Waf } from '../../src/engine/api.ts';
import { createWaf } from '../../src/engine/index.ts';
import { FakeWaf } from './fake-waf.ts';

export const CONTRACT_RULES = `
SecRuleEngine On
SecRequestBodyAccess On
SecRule REQUEST_URI|REQUEST_HEADERS "@contains attack" "id:1,phase:1,deny,status:403,msg:'attack in the request head'"
SecRule ARGS_POST "@contains attack" "id:2,phase:2,deny,status:403,msg:'attack in the body'"
`;

export interface EngineUnderTest {
  readonly name: 'fake' | 'real';
  make(): Waf;
}

/** Makes phase 1 throw for URIs containing `engine-throws`, whatever the engine. */
export function throwingOn(waf: Waf): Waf {
  return {
    settings: waf.settings,
    ruleCount: waf.ruleCount,
    setValueCacheBudget: (bytes: number) => waf.setValueCacheBudget(bytes),
    forgetValues: () => waf.forgetValues(),
    newTransaction(id: string): Transaction {
      const tx = waf.newTransaction(id);
      let uri = '';
      return new Proxy(tx, {
        get(target, property) {
          if (property === 'processUri') {
            return (u: string, method: string, protocol: string) => {
              uri = u;
              target.processUri(u, method, protocol);
            };
          }
          if (property === 'processRequestHeaders' && uri.includes('engine-throws')) {
            return () => {
              throw new Error('rule evaluation exploded');
            };
          }
          const value: unknown = Reflect.get(target, property);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
}

export const ENGINES: readonly EngineUnderTest[] = [
  { name: 'fake', make: () => new FakeWaf() },
  { name: 'real', make: () => throwingOn(createWaf([{ text: CONTRACT_RULES, name: 'contract.conf' }])) },
];
