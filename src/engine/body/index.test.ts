import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodyProcessorFor, parseJson, parseMultipart, parseUrlencoded, parseXml } from './index.ts';

describe('bodyProcessorFor (ModSecurity v2 defaults)', () => {
  const cases: [string | undefined, string | undefined][] = [
    ['application/x-www-form-urlencoded', 'URLENCODED'],
    ['Application/X-WWW-Form-URLEncoded; charset=utf-8', 'URLENCODED'],
    // CRS 921421: the processor follows the type, not a parameter that looks like one.
    ['application/x-www-form-urlencoded;boundary="application/json"', 'URLENCODED'],
    ['multipart/form-data; boundary=x', 'MULTIPART'],
    ['MULTIPART/FORM-DATA; boundary=x', 'MULTIPART'],
    // v2 compares a prefix only.
    ['multipart/form-datax', 'MULTIPART'],
    ['multipart/related', undefined],
    ['multipart/mixed; boundary=x', undefined],
    // JSON and XML need ctl:requestBodyProcessor (modsecurity.conf-recommended 200000/200001).
    ['application/json', undefined],
    ['application/xml', undefined],
    ['text/xml', undefined],
    ['text/plain', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [ct, expected] of cases) {
    it(`${JSON.stringify(ct)} → ${expected ?? 'none'}`, () => assert.equal(bodyProcessorFor(ct), expected));
  }
});

describe('body index', () => {
  it('exports every processor', () => {
    assert.equal(parseUrlencoded('a=1').args.length, 1);
    assert.equal(parseJson('{"a":1}', 10).length, 1);
    assert.equal(parseMultipart('', 'multipart/form-data; boundary=b').reqbodyError, undefined);
    assert.equal(parseXml('<a/>')?.root.name, 'a');
  });
});
