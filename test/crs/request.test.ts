import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StageInput } from './ftw-types.ts';
import { buildRequest, canonicalHeaderKey, expandTemplate } from './request.ts';

function input(over: Partial<StageInput>): StageInput {
  return {
    method: 'GET',
    uri: '/',
    version: 'HTTP/1.1',
    headers: [['Host', 'localhost']],
    data: null,
    encodedData: null,
    encodedRequest: null,
    autocompleteHeaders: true,
    destAddr: '127.0.0.1',
    port: 80,
    protocol: 'http',
    ...over,
  };
}

test('GET gets Connection: close and no Content-Length', () => {
  assert.equal(buildRequest(input({})).toString(), 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
});

test('POST without data gets Content-Length: 0 (go-ftw methodsWithBody)', () => {
  assert.equal(
    buildRequest(input({ method: 'POST' })).toString(),
    'POST / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
  );
});

test('form data gets a Content-Type and its keys and values query-escaped', () => {
  const raw = buildRequest(input({ method: 'POST', data: "a=1 2&b=<x>'&c" })).toString();
  assert.equal(
    raw,
    'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n' +
      "Content-Length: 20\r\n\r\na=1+2&b=%3Cx%3E%27&c",
  );
});

test('already escaped form data is sent as is', () => {
  const raw = buildRequest(input({ method: 'POST', data: 'a=%3Cx%3E' })).toString();
  assert.ok(raw.endsWith('\r\n\r\na=%3Cx%3E'));
});

test('multipart bodies get CRLF line ends, even without autocomplete', () => {
  const raw = buildRequest(
    input({
      method: 'POST',
      headers: [['Content-Type', 'multipart/form-data; boundary=x']],
      data: '--x\nA\n--x--\n',
      autocompleteHeaders: false,
    }),
  ).toString();
  assert.equal(raw, 'POST / HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=x\r\n\r\n--x\r\nA\r\n--x--\r\n');
});

test('encoded_request is sent byte for byte', () => {
  const bytes = Buffer.from('GET /\x00 HTTP/1.1\r\n\r\n', 'latin1');
  assert.deepEqual(buildRequest(input({ encodedRequest: bytes.toString('base64') })), bytes);
});

test('an empty version leaves the request line without a protocol', () => {
  assert.ok(buildRequest(input({ version: '' })).toString().startsWith('GET / \r\n'));
});

test('templates: repeat expands, anything else means no body', () => {
  assert.equal(expandTemplate('a{{ "1" | repeat 3 }}b'), 'a111b');
  assert.equal(expandTemplate('x{{constructor.constructor(1)}}'), null);
});

test('header names are matched canonically', () => {
  assert.equal(canonicalHeaderKey('content-TYPE'), 'Content-Type');
  assert.equal(canonicalHeaderKey('bad header'), 'bad header');
  const raw = buildRequest(input({ method: 'POST', headers: [['content-length', '5']], data: 'a=b' })).toString();
  assert.ok(!raw.includes('Content-Length'));
});
