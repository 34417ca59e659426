import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BodyParseError } from './errors.ts';
import { parseXml } from './xml.ts';
import { doc, SOAP } from './xml.fixtures.ts';
import { textContent, xpath } from './xpath.ts';

const utf8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');


describe('parseXml text and references', () => {
  const cases: [string, string][] = [
    ['<a>&lt;&gt;&amp;&apos;&quot;</a>', '<>&\'"'],
    ['<a>&#65;&#x42;&#xe9;</a>', `AB${utf8('é')}`],
    [`<a>${utf8('😀')}</a>`, utf8('😀')],
    ['<a>x\r\ny\rz</a>', 'x\ny\nz'],
    ['<a><!-- c --><?pi data?>t</a>', 't'],
    [`\xef\xbb\xbf<a>bom</a>`, 'bom'],
    ['<?xml version="1.0" encoding="ISO-8859-1"?><a>\xe9</a>', utf8('é')],
    ['<!DOCTYPE a [<!ENTITY e "expanded">]><a>x&e;y</a>', 'xy'],
    ['<!DOCTYPE a SYSTEM "http://example.com/a.dtd"><a>z</a>', 'z'],
    ['<a/>', ''],
  ];
  for (const [body, expected] of cases) {
    it(`reads ${JSON.stringify(body)}`, () => assert.equal(textContent(doc(body).root), expected));
  }

  it('normalises whitespace in attribute values', () => {
    assert.deepEqual(xpath(doc('<a x="1\t2\n3&#10;4"/>'), '//@*'), ['1 2 3\n4']);
  });

  it('gives no document for an empty body (v2: no XML, no error)', () => {
    assert.equal(parseXml(''), undefined);
  });
});

describe('parseXml errors (REQBODY_ERROR)', () => {
  const bad = [
    '<a>',
    '<a></b>',
    '<a><b></a></b>',
    '<a x=1/>',
    '<a x="1" x="2"/>',
    '<a x="<"/>',
    '<a>&foo;</a>',
    '<a>&#0;</a>',
    '<a>&#xZZ;</a>',
    '<a>& b</a>',
    '<a/><b/>',
    'text',
    ' ',
    '<a>]]></a>',
    '<a>\x01</a>',
    '<a>\xff</a>',
    '<a>\xc3\x28</a>',
    '<a><!-- a -- b --></a>',
    '<a><![CDATA[x</a>',
    '<a><?xml version="1.0"?></a>',
    '<a>text</a><?xml version="1.0"?>',
    '<?xml version="1.0" encoding="UTF-16"?><a/>',
    '<!DOCTYPE a [<!ENTITY e "x">]',
    '<1a/>',
    '<a b/>',
    '<a/>trailing',
  ];
  for (const body of bad) {
    it(`rejects ${JSON.stringify(body)}`, () => assert.throws(() => parseXml(body), BodyParseError));
  }

  it('limits the depth like libxml2 (256 by default) without recursion', () => {
    const nest = (n: number): string => '<a>'.repeat(n) + '</a>'.repeat(n);
    assert.ok(parseXml(nest(256)));
    assert.throws(() => parseXml(nest(257)), { name: 'BodyParseError', message: /Excessive depth/ });
    const deep = parseXml(nest(100000), { maxDepth: 1e9 });
    assert.ok(deep);
    assert.deepEqual(xpath(deep, '/*'), ['']);
    assert.equal(xpath(doc(nest(200)), '//a').length, 200);
  });

  it('does not expand entities into huge text (billion laughs)', () => {
    const lol = [
      '<!DOCTYPE l [',
      '<!ENTITY a "aaaaaaaaaa">',
      '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">',
      '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">',
      ']>',
      '<l>&c;&c;&c;</l>',
    ].join('\n');
    assert.equal(xpath(doc(lol), '/*')[0], '');
  });
});

describe('parseXml properties', () => {
  const byte = fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));
  const piece = fc.constantFrom('<a>', '</a>', '<b x="1">', '</b>', '<c/>', 'text', '&amp;', '&#65;', '&x;', '<!--c-->', '<![CDATA[d]]>', '"', "'", '=', ' ', '<', '>', '&', ']]>', '<?p?>', '<!DOCTYPE a>');
  const structured = fc.array(piece, { maxLength: 30 }).map((p) => p.join(''));
  const mutated = fc.tuple(fc.nat(), byte).map(([at, c]) => {
    const i = at % SOAP.length;
    return SOAP.slice(0, i) + c + SOAP.slice(i + 1);
  });

  it('throws nothing but BodyParseError; XPath output is bounded by the input', () => {
    fc.assert(
      fc.property(fc.oneof(structured, mutated, fc.string({ unit: byte, maxLength: 200 })), (body) => {
        try {
          const d = parseXml(body, { maxDepth: 16 });
          if (d === undefined) return;
          const text = xpath(d, '/*').join('');
          const attrs = xpath(d, '//@*').join('');
          assert.ok(text.length + attrs.length <= body.length * 2);
        } catch (e) {
          if (!(e instanceof BodyParseError)) throw e;
        }
      }),
      { numRuns: 1000 },
    );
  });
});
