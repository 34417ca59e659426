import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { doc, SOAP } from './xml.fixtures.ts';
import { compileXpath, xpath } from './xpath.ts';



describe('xpath values (ModSecurity XML:<expr>, xmlNodeGetContent)', () => {
  const d = doc(SOAP);

  it('XML:/* is the whole text of the root element, whitespace included, one value', () => {
    const [all, ...rest] = xpath(d, '/*');
    assert.deepEqual(rest, []);
    assert.equal(all, '\n  \n    \n      alice & bob\n      <script>alert(1)</script>\n    \n  \n');
  });

  it('XML://@* is every attribute value in document order, xmlns declarations excluded', () => {
    assert.deepEqual(xpath(d, '//@*'), ['7', 'admin']);
  });

  const cases: [string, string[]][] = [
    ['/soap:Envelope/soap:Body/m:GetUser/@id', ['7']],
    ['//m:Name', ['alice & bob']],
    ['//m:Name/text()', ['alice & bob']],
    ['/soap:Envelope/*/*/m:Note', ['<script>alert(1)</script>']],
    ['//@role', ['admin']],
    ['/Envelope', []],
    ['//missing', []],
    ['/*/@*', []],
  ];
  for (const [expr, expected] of cases) {
    it(`selects ${expr}`, () => assert.deepEqual(xpath(d, expr), expected));
  }

  it('returns nested matches of // once each, in document order', () => {
    const n = doc('<a><b>1<b>2</b></b><c><b>3</b></c></a>');
    assert.deepEqual(xpath(n, '//b'), ['12', '2', '3']);
    assert.deepEqual(xpath(n, '//a//b'), ['12', '2', '3']);
    assert.deepEqual(xpath(n, '/a/b/b'), ['2']);
  });

  it('refuses XPath outside the supported subset at compile time', () => {
    for (const expr of ['a/b', '//a[1]', 'count(//a)', '/a | /b', '/@x/y', '//', '/a/text()/b']) {
      assert.throws(() => compileXpath(expr), /unsupported XPath/, expr);
    }
  });
});
