import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientResponseHeaders, hopByHopNames, upstreamRequestHeaders } from './headers.ts';
import type { ForwardedInfo } from './headers.ts';
import { requestIdFrom } from './request-id.ts';

const info: ForwardedInfo = { requestId: 'rid-1', peerAddress: '10.0.0.9', clientAddress: '10.0.0.9', trustedPeer: false, proto: 'http', host: 'h' };

describe('hop-by-hop headers', () => {
  it('includes the fixed list and Connection-listed names', () => {
    const names = hopByHopNames(['Connection', 'close, X-Foo', 'connection', 'x-bar']);
    for (const n of ['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'x-foo', 'x-bar']) assert.ok(names.has(n), n);
  });

  it('Connection naming only fixed-list names, then another one: the other one is added as well', () => {
    const fixed = hopByHopNames(['Connection', 'Keep-Alive, upgrade']);
    assert.ok(fixed.has('keep-alive') && fixed.has('connection'));
    assert.equal(fixed.has('x-foo'), false);
    const more = hopByHopNames(['Connection', 'keep-alive', 'Connection', ' X-Foo ']);
    assert.ok(more.has('x-foo') && more.has('keep-alive'));
    // The shared fixed set was not changed by the second call.
    assert.equal(hopByHopNames(['Connection', 'keep-alive']).has('x-foo'), false);
  });

  it('are removed on the way upstream, with Expect', () => {
    const out = upstreamRequestHeaders(
      ['Host', 'h', 'Connection', 'X-Foo', 'X-Foo', '1', 'Proxy-Authorization', 'x', 'Expect', '100-continue', 'TE', 'trailers', 'Accept', '*/*'],
      info,
    );
    const names = out.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
    assert.deepEqual(names, ['host', 'accept', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip', 'x-request-id']);
  });

  it('keep Upgrade for WebSocket handshakes', () => {
    const out = upstreamRequestHeaders(['Host', 'h', 'Upgrade', 'websocket', 'Connection', 'Upgrade'], info, true);
    assert.deepEqual(out.slice(0, 6), ['Host', 'h', 'Upgrade', 'websocket', 'Connection', 'Upgrade']);
  });

  it('are removed from responses, and X-Request-Id is ours', () => {
    const out = clientResponseHeaders(['Content-Type', 'text/plain', 'Transfer-Encoding', 'chunked', 'X-Request-Id', 'theirs', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2'], 'ours');
    assert.deepEqual(out, ['Content-Type', 'text/plain', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'X-Request-Id', 'ours']);
  });
});

describe('X-Forwarded-*', () => {
  const raw = ['Host', 'h', 'X-Forwarded-For', '1.1.1.1', 'X-Forwarded-For', '2.2.2.2', 'X-Forwarded-Proto', 'https', 'Forwarded', 'for=1.1.1.1', 'X-Real-IP', '1.1.1.1'];
  const get = (out: string[], name: string): string | undefined => out[out.findIndex((v, i) => i % 2 === 0 && v.toLowerCase() === name) + 1];

  it('from an untrusted peer: incoming values are dropped', () => {
    const out = upstreamRequestHeaders(raw, info);
    assert.equal(get(out, 'x-forwarded-for'), '10.0.0.9');
    assert.equal(get(out, 'x-forwarded-proto'), 'http');
    assert.equal(get(out, 'x-real-ip'), '10.0.0.9');
    assert.equal(out.includes('Forwarded'), false);
  });

  it('from a trusted peer: the chain is extended and the rest kept', () => {
    const out = upstreamRequestHeaders(raw, { ...info, trustedPeer: true, clientAddress: '2.2.2.2' });
    assert.equal(get(out, 'x-forwarded-for'), '1.1.1.1, 2.2.2.2, 10.0.0.9');
    assert.equal(get(out, 'x-forwarded-proto'), 'https');
    assert.equal(get(out, 'x-forwarded-host'), 'h');
    assert.equal(get(out, 'x-real-ip'), '1.1.1.1');
    assert.equal(get(out, 'forwarded'), 'for=1.1.1.1');
  });
});

describe('requestIdFrom', () => {
  it('keeps well-formed ids and replaces others', () => {
    assert.equal(requestIdFrom('req-42_a.b:c'.replace('_', '-')), 'req-42-a.b:c');
    assert.match(requestIdFrom(undefined), /^[0-9a-f-]{36}$/);
    assert.match(requestIdFrom(['a', 'b']), /^[0-9a-f-]{36}$/);
    assert.match(requestIdFrom('x'.repeat(200)), /^[0-9a-f-]{36}$/);
    assert.match(requestIdFrom('a\tb'), /^[0-9a-f-]{36}$/);
  });
});
