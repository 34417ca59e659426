/**
 * CRS tests 920360-1 and 920380-1 need argument limits that CRS's reference
 * test setup does not configure (their YAML says so, and CRS's own
 * httpd-overrides.yaml lists both for the reference engine). The suite keeps
 * the reference setup and overrides them (overrides.yaml); this test proves
 * the engine fires both rules once the limits are configured as the tests ask.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { createWaf } from '../../src/engine/index.ts';
import { crsTestSources, DEFAULT_CRS_DIR } from './setup.ts';

const LIMITS = `
SecAction "id:900300,phase:1,pass,t:none,nolog,setvar:tx.max_num_args=255"
SecAction "id:900310,phase:1,pass,t:none,nolog,setvar:tx.arg_name_length=100"
`;

function matchedIds(uri: string): number[] {
  assert.ok(existsSync(DEFAULT_CRS_DIR), `CRS not found at ${DEFAULT_CRS_DIR}: clone picket beside ../shared`);
  const sources = crsTestSources(DEFAULT_CRS_DIR);
  // after crs-setup.conf.example, before the rules, where crs-setup.conf would set them
  sources.splice(2, 0, { text: LIMITS, name: 'limits.conf' });
  const tx = createWaf(sources).newTransaction('limits');
  tx.processConnection('127.0.0.1', 40000, '127.0.0.1', 80);
  tx.processUri(uri, 'GET', 'HTTP/1.1');
  tx.addRequestHeader('Host', 'localhost');
  tx.addRequestHeader('User-Agent', 'OWASP CRS test agent');
  tx.processRequestHeaders();
  tx.processRequestBody();
  tx.processLogging();
  return tx.matchedRules.map((rule) => rule.id);
}

test('920360 fires on an argument name over tx.arg_name_length', () => {
  assert.ok(matchedIds(`/?${'1'.repeat(101)}=foo`).includes(920360));
  assert.ok(!matchedIds(`/?${'1'.repeat(100)}=foo`).includes(920360));
});

test('920380 fires on more arguments than tx.max_num_args', () => {
  const args = (n: number) => Array.from({ length: n }, (_, i) => `param${i + 1}=1`).join('&');
  assert.ok(matchedIds(`/?${args(256)}`).includes(920380));
  assert.ok(!matchedIds(`/?${args(255)}`).includes(920380));
});
