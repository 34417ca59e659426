import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderStatus } from './block-response.ts';
import { parseLenientRequest } from './lenient-request.ts';
import { clientErrorStatus, failedRequestIn, forwardPathOf, refusalStatus, serverOptions } from './server.ts';

describe('clientErrorStatus', () => {
  const error = (code: string, rawPacket?: Buffer): Error & { code: string; rawPacket?: Buffer } =>
    Object.assign(new Error(code), { code, ...(rawPacket ? { rawPacket } : {}) });
  it('maps parser errors to statuses', () => {
    assert.equal(clientErrorStatus(error('HPE_INVALID_TRANSFER_ENCODING'), 100), 400);
    assert.equal(clientErrorStatus(error('HPE_UNEXPECTED_CONTENT_LENGTH'), 100), 400);
    assert.equal(clientErrorStatus(error('ERR_HTTP_REQUEST_TIMEOUT'), 100), 408);
    assert.equal(clientErrorStatus(error('HPE_HEADER_OVERFLOW', Buffer.from('GET /aaaa')), 100), 414);
    assert.equal(clientErrorStatus(error('HPE_HEADER_OVERFLOW', Buffer.from('GET / HTTP/1.1\r\nX: aaaa')), 100), 431);
    assert.equal(clientErrorStatus(error('HPE_HEADER_OVERFLOW', Buffer.from('aaaaaaaaaa')), 100), 431);
  });
});

describe('refusalStatus', () => {
  const error = (code: string): Error & { code: string } => Object.assign(new Error(code), { code });
  const status = (code: string, text: string): number => refusalStatus(error(code), parseLenientRequest(Buffer.from(text)), 100);
  it('answers 501 for unknown methods, 505 for versions above 1.x, 400 otherwise', () => {
    assert.equal(status('HPE_INVALID_METHOD', 'FOO / HTTP/1.1\r\n\r\n'), 501);
    assert.equal(status('HPE_INVALID_VERSION', 'GET / HTTP/4.0\r\n\r\n'), 505);
    assert.equal(status('HPE_INVALID_VERSION', 'GET / HTTP/0.8\r\n\r\n'), 400);
    assert.equal(status('HPE_INVALID_CONSTANT', 'GET / JUNK/1.0\r\n\r\n'), 400);
    assert.equal(status('HPE_INVALID_URL', 'GET /\xff HTTP/1.1\r\n\r\n'), 400);
    assert.equal(refusalStatus(error('HPE_INVALID_METHOD'), null, 100), 400);
    assert.equal(refusalStatus(error('ERR_HTTP_REQUEST_TIMEOUT'), null, 100), 408);
  });
});

describe('failedRequestIn', () => {
  it('skips the requests node accepted before the one that failed', () => {
    const first = 'POST / HTTP/1.1\r\nHost: a\r\n\r\n';
    const raw = Buffer.from(`${first}FOO /second HTTP/1.1\r\n\r\n`);
    assert.equal(failedRequestIn(raw, first.length)?.target, '/second');
    assert.equal(failedRequestIn(raw, 2)?.target, '/');
    assert.equal(failedRequestIn(Buffer.from(`${first}{"id":1}`), first.length), null);
  });
});

describe('forwardPathOf', () => {
  it('accepts origin-form and absolute-form only', () => {
    assert.equal(forwardPathOf('/a?b'), '/a?b');
    assert.equal(forwardPathOf('http://h:8080/a?b'), '/a?b');
    assert.equal(forwardPathOf('https://h'), '/');
    assert.equal(forwardPathOf('http://h?q'), '/?q');
    assert.equal(forwardPathOf('*'), null);
    assert.equal(forwardPathOf('h/a'), null);
  });
});

describe('serverOptions', () => {
  it('keeps headersTimeout within requestTimeout, checks often enough, stays strict', () => {
    const options = serverOptions({
      requestBody: 1, requestBodyNoFiles: 1, requestBodyAction: 'Reject', responseBody: 1,
      headerBytes: 8192, uriLength: 100, headersTimeoutMs: 60_000, requestTimeoutMs: 30_000, upstreamTimeoutMs: 1, keepAliveTimeoutMs: 5000,
    });
    assert.equal(options.headersTimeout, 30_000);
    assert.equal(options.maxHeaderSize, 8192);
    assert.equal(options.insecureHTTPParser, false);
    assert.ok((options.connectionsCheckingInterval ?? Infinity) <= 1000);
  });
});

describe('renderStatus', () => {
  it('says nothing but the status and the id', () => {
    assert.equal(renderStatus(403, 'id-1').body.toString(), '403 Forbidden\nrequest id: id-1\n');
    assert.equal(renderStatus(403, 'id-1', 'application/json, text/plain').body.toString(), '{"status":403,"requestId":"id-1"}\n');
  });
});
