import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseLenientRequest } from './lenient-request.ts';

const parse = (text: string) => parseLenientRequest(Buffer.from(text, 'latin1'));

describe('parseLenientRequest', () => {
  it('reads an unknown method, its headers and a Content-Length body', () => {
    const r = parse('FOO /x?a=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcNEXT');
    assert.ok(r);
    assert.equal(r.method, 'FOO');
    assert.equal(r.target, '/x?a=1');
    assert.equal(r.protocol, 'HTTP/1.1');
    assert.deepEqual(r.rawHeaders, ['Host', 'a', 'Content-Length', '3']);
    assert.equal(r.framing, 'length');
    assert.equal(r.body?.toString(), 'abc');
    assert.equal(r.end, 'FOO /x?a=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc'.length);
  });

  it('keeps raw non-ASCII bytes and spaces in the target, and any version token', () => {
    const r = parse('GET /a\xe2\x91\xa0 b HTTP/4.0\nHost: a\n\n');
    assert.equal(r?.target, '/a\xe2\x91\xa0 b');
    assert.equal(r?.protocol, 'HTTP/4.0');
    assert.equal(parse('GET / JUNK/1.0\r\n\r\n')?.protocol, 'JUNK/1.0');
  });

  it('reads a request line without a version as HTTP/0.9, without header fields', () => {
    const r = parse('GET / \r\nHost: a\r\n\r\n');
    assert.equal(r?.protocol, 'HTTP/0.9');
    assert.equal(r?.versioned, false);
    assert.deepEqual(r?.rawHeaders, []);
  });

  it('gives no body when the framing is ambiguous (Content-Length with Transfer-Encoding)', () => {
    const r = parse('POST / HTTP/1.1\r\nContent-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n7\r\nfoo=bar\r\n0\r\n\r\n');
    assert.equal(r?.framing, 'ambiguous');
    assert.equal(r?.body, null);
    assert.equal(r?.end, null);
    assert.equal(parse('POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab')?.framing, 'ambiguous');
  });

  it('decodes what is present of a chunked body', () => {
    const whole = parse('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n');
    assert.equal(whole?.body?.toString(), 'abcde');
    assert.ok(whole?.end);
    const cut = parse('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n9\r\nde');
    assert.equal(cut?.body?.toString(), 'abcde');
    assert.equal(cut?.end, null);
  });

  it('folds obs-fold lines, skips lines without a colon, trims space before the colon', () => {
    const r = parse('GET / HTTP/1.1\r\nX-A : one\r\n two\r\nnonsense\r\n\r\n');
    assert.deepEqual(r?.rawHeaders, ['X-A', 'one two']);
  });

  it('skips leading empty lines and whitespace before the method', () => {
    assert.equal(parse('\r\n\r\n\tGET /get HTTP/1.1\r\n\r\n')?.target, '/get');
  });

  it('returns null for bytes that are not a request line, and never throws', () => {
    assert.equal(parse('{"id":1}'), null);
    assert.equal(parse('{"id":1}\r\n'), null);
    assert.equal(parse('GET\r\n'), null);
    assert.equal(parse('G(T / HTTP/1.1\r\n'), null);
    assert.equal(parse('GET /\x00 HTTP/1.1\r\n'), null);
    assert.equal(parse(''), null);
  });

  it('never throws and never returns a body longer than the input (any bytes after any prefix)', () => {
    const prefixes = ['', 'GET / HTTP/1.1\r\n', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n', 'PUT / HTTP/1.1\r\nContent-Length: 5\r\n\r\n'];
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 300 }), (prefix, bytes) => {
        const data = Buffer.concat([Buffer.from(prefix), bytes]);
        const r = parseLenientRequest(data);
        return r === null || (r.body?.length ?? 0) <= data.length;
      }),
      { numRuns: 500 },
    );
  });

  it('reads no further than maxBytes', () => {
    const r = parseLenientRequest(Buffer.from('POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n' + 'x'.repeat(100)), 60);
    assert.ok(r);
    assert.ok((r.body?.length ?? 0) < 100);
  });
});

describe('parseLenientRequest byte handling', () => {
  it('keeps 0xA0 and other non-ASCII bytes at the ends of targets and values (no String.trim)', () => {
    const r = parse('GET /x\xa0 HTTP/1.1\r\nX-A: \xa0v\xa0 \r\n\r\n');
    assert.equal(r?.target, '/x\xa0');
    assert.deepEqual(r?.rawHeaders, ['X-A', '\xa0v\xa0']);
  });
});
