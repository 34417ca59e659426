/** The open-loop generator's HTTP/1.1 wire format. Run: node --test bench/http1.test.ts */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpResponseError, ResponseReader, serializeRequest } from './http1.ts';

test('serializes a request into one buffer, adding host and content-length only when missing', () => {
  const get = serializeRequest({ method: 'GET', path: '/a?b=1', headers: { accept: '*/*' } }, '127.0.0.1:8080');
  assert.equal(get.toString('latin1'), 'GET /a?b=1 HTTP/1.1\r\naccept: */*\r\nhost: 127.0.0.1:8080\r\n\r\n');
  const post = serializeRequest({ method: 'POST', path: '/p', headers: { Host: 'shop.local' }, body: Buffer.from('a=é', 'latin1') }, 'x');
  assert.equal(post.toString('latin1'), 'POST /p HTTP/1.1\r\nHost: shop.local\r\ncontent-length: 3\r\n\r\na=é');
  const own = serializeRequest({ method: 'POST', path: '/p', headers: { 'Content-Length': '2' }, body: 'ab' }, 'x');
  assert.equal(own.toString('latin1'), 'POST /p HTTP/1.1\r\nContent-Length: 2\r\nhost: x\r\n\r\nab');
  const empty = serializeRequest({ method: 'POST', path: '/p', headers: {} }, 'x');
  assert.match(empty.toString('latin1'), /content-length: 0\r\n\r\n$/);
});

test('refuses to serialize what would split the request', () => {
  assert.throws(() => serializeRequest({ method: 'GET', path: '/', headers: { a: 'b\r\nx: y' } }, 'x'), /contains CR or LF/);
  assert.throws(() => serializeRequest({ method: 'GET', path: '/a b', headers: {} }, 'x'), /not sendable/);
});

/** Feeds `wire` to a reader in pieces of `step` bytes and returns what it reported. */
function read(wire: string, step: number, head = false): Array<[number, boolean]> {
  const out: Array<[number, boolean]> = [];
  const reader = new ResponseReader((status, keepAlive) => out.push([status, keepAlive]));
  if (head) reader.expectHeadResponse();
  const bytes = Buffer.from(wire, 'latin1');
  for (let at = 0; at < bytes.length; at += step) reader.feed(bytes.subarray(at, at + step));
  assert.ok(reader.idle, 'nothing left half-read');
  return out;
}

const LENGTH = 'HTTP/1.1 200 OK\r\nContent-Length: 11\r\nContent-Type: text/plain\r\n\r\nhello world';
const CHUNKED =
  'HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n';

test('frames Content-Length and chunked responses in any split, one byte at a time included', () => {
  for (const step of [1, 2, 3, 7, 64, 10_000]) {
    assert.deepEqual(read(LENGTH + CHUNKED + LENGTH, step), [[200, true], [404, true], [200, true]], `step ${step}`);
  }
});

test('keep-alive follows the version and the Connection header', () => {
  assert.deepEqual(read('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', 5), [[200, false]]);
  assert.deepEqual(read('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n', 5), [[200, false]]);
  assert.deepEqual(read('HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n', 5), [[200, true]]);
});

test('interim 1xx responses are skipped; 204, 304 and HEAD answers have no body', () => {
  assert.deepEqual(read('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok', 4), [[201, true]]);
  assert.deepEqual(read('HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n', 3), [[204, true], [304, true]]);
  assert.deepEqual(read('HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n', 3, true), [[200, true]]);
});

test('a body without framing runs until the connection closes', () => {
  const out: number[] = [];
  const reader = new ResponseReader((status, keepAlive) => {
    assert.equal(keepAlive, false);
    out.push(status);
  });
  reader.feed(Buffer.from('HTTP/1.1 200 OK\r\n\r\nsome body'));
  reader.feed(Buffer.from(' and more'));
  assert.deepEqual(out, []);
  reader.end();
  assert.deepEqual(out, [200]);
});

test('a response cut short or malformed is an error', () => {
  const reader = new ResponseReader(() => assert.fail('no response expected'));
  reader.feed(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
  assert.throws(() => reader.end(), HttpResponseError);
  const bad = (wire: string): void => {
    assert.throws(() => new ResponseReader(() => {}).feed(Buffer.from(wire)), HttpResponseError, wire);
  };
  bad('SMTP ready\r\n\r\n');
  bad('HTTP/1.1 200 OK\r\nno colon here\r\n\r\n');
  bad('HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n');
  bad('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n');
  bad('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n');
  bad('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY');
  assert.throws(() => new ResponseReader(() => {}).feed(Buffer.alloc(70_000, 'a')), /longer than/);
});
