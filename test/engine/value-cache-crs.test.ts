/**
 * The cross-transaction value cache (src/engine/value-cache.ts), the byte screen
 * (src/engine/byte-screen.ts) and passing over rules known not to match any value they
 * read (transaction.ts #knownForAll) must not change a single CRS verdict: requests mixing
 * repeated and new benign and attack values go through CRS at paranoia level 2 with
 * each and without it, and every matched rule id, anomaly score and interruption
 * must be the same.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { it } from 'node:test';
import { createWaf } from '../../src/engine/index.ts';
import type { Waf } from '../../src/engine/api.ts';
import type { WafImpl } from '../../src/engine/waf.ts';
import { runRequest } from './harness.ts';

const CRS = resolve(import.meta.dirname, '../../../shared/crs-4.28.0');

const VALUES = [
  'shoes', 'red+shoes', 'price_asc', '42', 'jane%40example.com', '%2Fetc%2Fpasswd', '..%2F..%2Fetc%2Fshadow',
  "1'%20OR%20'1'='1", '1%20union%20select%20user,pass%20from%20users--', '%3Cscript%3Ealert(1)%3C/script%3E',
  '%3Cimg%20src=x%20onerror=alert(1)%3E', 'javascript:alert(1)', ';cat%20/etc/passwd', '$(id)', '%60whoami%60',
  'php://filter/resource=index.php', '%7B%7B7*7%7D%7D', '${jndi:ldap://x/a}', 'SELECT', 'sleep(5)', 'a%00b',
  '<!--%23exec%20cmd=%22ls%22-->', 'http://169.254.169.254/latest', 'Mozilla', '%252e%252e%252f', 'eval(base64_decode(x))',
];
const HEADERS: [string, string][] = [
  ['Host', 'shop.example.com'],
  ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'],
  ['Accept', 'text/html,application/xhtml+xml'],
];

function load(): Waf {
  return createWaf([
    { file: `${CRS}/crs-setup.conf.example` },
    { text: 'SecAction "id:900000,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=2"', name: 'pl2.conf' },
    { file: `${CRS}/rules/*.conf` },
  ]);
}

function verdict(waf: Waf, uri: string, referer: string, body?: string): string {
  const tx = runRequest(
    waf,
    body === undefined
      ? { method: 'GET', uri, headers: [...HEADERS, ['Referer', referer]] }
      : { method: 'POST', uri, headers: [...HEADERS, ['Referer', referer], ['Content-Type', 'application/x-www-form-urlencoded'], ['Content-Length', String(body.length)]], body },
  );
  const ids = tx.matchedRules.map((m) => `${m.id}@${m.matchedVar}`).join(' ');
  return `${ids} | score ${tx.txValue('blocking_inbound_anomaly_score')} | ${tx.interruption?.status ?? 'pass'}`;
}

/** A seeded sequence of VALUES (a Lehmer generator), the same on every run. */
function picker(start: number): () => string {
  let seed = start;
  return () => {
    seed = (seed * 48271) % 2147483647;
    return VALUES[seed % VALUES.length] as string;
  };
}

/** One request of a comparison: a GET, or a form POST when `body` is given. */
interface Probe {
  readonly uri: string;
  readonly referer: string;
  readonly body?: string;
}

/** Sends `count` probes to both WAFs, requires the same verdict from `actual`; returns how many `expected` blocked. */
function sameVerdicts(expected: Waf, actual: Waf, count: number, probe: (i: number) => Probe): number {
  let blocked = 0;
  for (let i = 0; i < count; i++) {
    const { uri, referer, body } = probe(i);
    const want = verdict(expected, uri, referer, body);
    assert.equal(verdict(actual, uri, referer, body), want, `${uri} ${body ?? ''}`);
    if (!want.endsWith('pass')) blocked++;
  }
  return blocked;
}

it('CRS PL2 gives the same verdicts with and without the value cache', () => {
  assert.ok(existsSync(CRS), `CRS not found at ${CRS}: the shared data directory must hold crs-4.28.0`);
  const cached = load();
  const plain = load() as Waf & { setValueCacheBudget(bytes: number): void };
  plain.setValueCacheBudget(0);
  const pick = picker(20261122);
  const blocked = sameVerdicts(plain, cached, 150, (i) => ({
    uri: `/search/${i % 3 === 0 ? pick() : 'list'}?q=${pick()}&page=${pick()}&${pick()}=1`,
    referer: `https://shop.example.com/?from=${pick()}`,
  }));
  // The mix must exercise both sides of the rules.
  assert.ok(blocked > 20 && blocked < 150, `${blocked} of 150 requests blocked`);
});

it('CRS PL2 gives the same verdicts with and without the byte screen', () => {
  assert.ok(existsSync(CRS), `CRS not found at ${CRS}: the shared data directory must hold crs-4.28.0`);
  const screened = load() as WafImpl;
  const plain = load() as WafImpl;
  plain.byteScreen = false;
  // Without the value cache, every transaction screens its values anew.
  for (const w of [screened, plain]) w.setValueCacheBudget(0);
  const pick = picker(7);
  const blocked = sameVerdicts(plain, screened, 120, (i) => {
    const uri = `/cart/${pick()}?id=${pick()}`;
    const referer = `https://shop.example.com/?from=${pick()}`;
    const body = `name=${pick()}&note=${pick()}&${pick()}=${pick()}`;
    return i % 2 === 0 ? { uri, referer } : { uri, referer, body };
  });
  assert.ok(blocked > 20 && blocked < 120, `${blocked} of 120 requests blocked`);
});

it('CRS PL2 gives the same verdicts when rules known not to match are passed over and when they run', () => {
  assert.ok(existsSync(CRS), `CRS not found at ${CRS}: the shared data directory must hold crs-4.28.0`);
  const skipping = load() as WafImpl;
  const plain = load() as WafImpl;
  plain.skipKnown = false;
  const pick = picker(4242);
  // Repeated values (the cache knows them) and new ones (screened), GET and form posts.
  const blocked = sameVerdicts(plain, skipping, 150, (i) => {
    const uri = `/shop/${i % 4 === 0 ? pick() : 'list'}?q=${pick()}&n=${i % 3 === 0 ? i : 7}`;
    const referer = `https://shop.example.com/?from=${pick()}`;
    const body = `name=${pick()}&note=${pick()}&qty=${i % 5}`;
    return i % 2 === 0 ? { uri, referer } : { uri, referer, body };
  });
  assert.ok(blocked > 20 && blocked < 150, `${blocked} of 150 requests blocked`);
  assert.equal(plain.rulesPassedOver, 0);
  assert.ok(skipping.rulesPassedOver > 150 * 50, `only ${skipping.rulesPassedOver} rules passed over in 150 requests`);
});
