import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRawRequest } from '../../src/cli/raw-request.ts';

const parse = (text: string) => parseRawRequest(Buffer.from(text, 'latin1'));

test('request line, headers in order, Content-Length body', () => {
  const req = parse('POST /a?b=1 HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello');
  assert.equal(req.method, 'POST');
  assert.equal(req.target, '/a?b=1');
  assert.equal(req.protocol, 'HTTP/1.1');
  assert.deepEqual(req.headers, [['Host', 'x'], ['Content-Type', 'text/plain'], ['Content-Length', '5']]);
  assert.equal(req.body.toString(), 'hello');
});

test('bare LF line ends and a trailing newline after the body are accepted', () => {
  const req = parse('GET / HTTP/1.1\nHost: x\n\n\n');
  assert.equal(req.body.length, 0);
  assert.equal(parse('POST / HTTP/1.1\nContent-Length: 2\n\nab\n').body.toString(), 'ab');
});

test('chunked bodies are decoded, with extensions and trailers', () => {
  const req = parse('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: 1\r\n\r\n');
  assert.equal(req.body.toString(), 'abcde');
});

test('bytes are kept as bytes (latin1)', () => {
  const req = parseRawRequest(Buffer.concat([Buffer.from('POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n'), Buffer.from([0xff, 0x00])]));
  assert.deepEqual([...req.body], [0xff, 0x00]);
});

const BAD: [string, string, RegExp][] = [
  ['empty', '', /line 1: no complete request line/],
  ['bad request line', 'GET /\r\n\r\n', /line 1: request line must be/],
  ['bad protocol', 'GET / HTTP/2\r\n\r\n', /line 1: bad protocol "HTTP\/2"/],
  ['bad header', 'GET / HTTP/1.1\r\nHost x\r\n\r\n', /line 2: bad header line "Host x"/],
  ['folding', 'GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n', /line 3: obsolete header line folding/],
  ['unterminated headers', 'GET / HTTP/1.1\r\nHost: x\r\n', /line 3: headers do not end with an empty line/],
  ['short body', 'POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc', /body has 3 bytes but Content-Length says 10/],
  ['extra bytes', 'POST / HTTP/1.1\r\nContent-Length: 1\r\n\r\nabc', /2 bytes follow the 1-byte body/],
  ['body without framing', 'GET / HTTP/1.1\r\n\r\nabc', /3 bytes follow the headers but there is no Content-Length/],
  ['CL and TE', 'POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n', /both Content-Length and Transfer-Encoding/],
  ['bad chunk size', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /bad chunk size "zz"/],
  ['bad Content-Length', 'POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n', /bad Content-Length "-1"/],
];

for (const [name, raw, message] of BAD) {
  test(`rejects: ${name}`, () => {
    assert.throws(() => parse(raw), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'WAF_ERR_REQUEST_PARSE');
      assert.match(error.message, message);
      return true;
    });
  });
}
