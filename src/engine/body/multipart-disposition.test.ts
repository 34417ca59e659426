import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { noFlags } from './multipart-common.ts';
import { type DispositionSink, type DispositionTarget, parseContentDisposition } from './multipart-disposition.ts';

function parse(value: string): { rc: number; part: DispositionTarget; sink: DispositionSink } {
  const part: DispositionTarget = { name: undefined, filename: undefined };
  const sink: DispositionSink = { flags: noFlags(), multipartName: undefined, multipartFilename: undefined };
  return { rc: parseContentDisposition(value, part, sink), part, sink };
}

describe('parseContentDisposition (v2 return codes)', () => {
  const cases: [string, number, string | undefined, string | undefined, boolean][] = [
    // value, rc, name, filename, invalid quoting
    ['form-data', 1, undefined, undefined, false],
    ['form-data; name="a"', 1, 'a', undefined, false],
    ['form-data;name=a;filename=b.txt', 1, 'a', 'b.txt', false],
    ['form-data ; name="a" ; filename="b"  ', 1, 'a', 'b', false],
    ['form-data; name="a";', 1, 'a', undefined, false],
    ['form-data; name="a\\"b\\\\c\\d"', 1, 'a"b\\c\\d', undefined, false],
    ["form-data; name='a'", 1, 'a', undefined, true],
    ["form-data; name=\"it's\"", 1, "it's", undefined, false],
    ["form-data; name=it's", 1, "it's", undefined, true],
    ['Form-Data; name="a"', -1, undefined, undefined, false],
    ['form-data name="a"', -2, undefined, undefined, false],
    ['form-data; name="a"; ', -3, 'a', undefined, false],
    ['form-data; name', -4, undefined, undefined, false],
    ['form-data; name ', -5, undefined, undefined, false],
    ['form-data; name=', -6, undefined, undefined, false],
    ['form-data; name="', -7, undefined, undefined, false],
    ['form-data; name="a\\', -8, undefined, undefined, false],
    ['form-data; name="abc', -10, undefined, undefined, false],
    ['form-data; size=1', -11, undefined, undefined, false],
    ["form-data; filename*=UTF-8''a", -11, undefined, undefined, false],
    ['form-data; name="a"x', -12, 'a', undefined, true],
    ['form-data; name="a" x', -12, 'a', undefined, false],
    ['form-data; name=a b', -12, 'a', undefined, false],
    ['form-data; name x', -13, undefined, undefined, false],
    ['form-data; name="a"; name="b"', -14, 'a', undefined, false],
    ['form-data; filename="a"; filename="b"', -15, undefined, 'a', false],
  ];
  for (const [value, rc, name, filename, invalidQuoting] of cases) {
    it(`${JSON.stringify(value)} → ${rc}`, () => {
      const r = parse(value);
      assert.equal(r.rc, rc);
      assert.equal(r.part.name, name);
      assert.equal(r.part.filename, filename);
      assert.equal(r.sink.flags.invalidQuoting, invalidQuoting);
    });
  }

  it('records the last name= and filename= seen, even a duplicate (MULTIPART_NAME/FILENAME)', () => {
    const r = parse('form-data; name="a"; filename="f"; name="b"');
    assert.equal(r.rc, -14);
    assert.equal(r.sink.multipartName, 'b');
    assert.equal(r.sink.multipartFilename, 'f');
  });
});
