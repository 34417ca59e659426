/**
 * Upgrade requests (WebSocket) over raw sockets: inspected (phases 1-2)
 * before any upstream contact, blocked with a status, or spliced through to
 * the upstream in both directions.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { FakeWaf } from './fake-waf.ts';
import { rawExchange, rawHeader, rawStatusCode, startProxy } from './helpers.ts';
import type { RunningProxy } from './helpers.ts';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

interface WsUpstream {
  readonly url: string;
  readonly upgrades: http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** Accepts upgrades on /ws (then echoes bytes upper-cased), refuses them elsewhere with 426. */
async function startWsUpstream(): Promise<WsUpstream> {
  const upgrades: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((_req, res) => res.end('plain'));
  const sockets = new Set<net.Socket>();
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket) => {
    upgrades.push(req.headers);
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('end', () => socket.end());
    if (req.url !== '/ws') {
      socket.end('HTTP/1.1 426 Upgrade Required\r\nContent-Length: 4\r\nConnection: close\r\n\r\nnope');
      return;
    }
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${GUID}`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    socket.on('data', (chunk: Buffer) => socket.write(chunk.toString('latin1').toUpperCase()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    upgrades,
    close: () => new Promise((r) => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

const handshake = (path: string): string =>
  `GET ${path} HTTP/1.1\r\nHost: app\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';

describe('WebSocket upgrades', () => {
  let upstream: WsUpstream;
  let proxy: RunningProxy;

  before(async () => {
    upstream = await startWsUpstream();
    proxy = await startProxy({ waf: new FakeWaf(), upstreams: [upstream.url] });
  });
  after(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('switches protocols and relays bytes both ways', async () => {
    const socket = net.connect(proxy.port, '127.0.0.1');
    let text = '';
    const switched = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('latin1');
        if (text.includes('\r\n\r\n')) resolve();
      });
    });
    socket.write(handshake('/ws'));
    await switched;
    assert.equal(rawStatusCode(text), 101);
    assert.equal(rawHeader(text, 'sec-websocket-accept'), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    assert.equal(rawHeader(text, 'upgrade'), 'websocket');
    assert.ok(rawHeader(text, 'x-request-id'));
    const echoed = new Promise<string>((resolve) => {
      let body = '';
      socket.on('data', (chunk: Buffer) => {
        body += chunk.toString('latin1');
        if (body.includes('HELLO')) resolve(body);
      });
    });
    socket.write('hello');
    assert.match(await echoed, /HELLO/);
    socket.destroy();
    const seen = upstream.upgrades.at(-1)!;
    assert.equal(seen.upgrade, 'websocket');
    assert.equal(seen.connection, 'Upgrade');
    assert.equal(seen['x-forwarded-for'], '127.0.0.1');
  });

  it('blocks a malicious handshake before contacting the upstream', async () => {
    const count = upstream.upgrades.length;
    const text = await rawExchange(proxy.port, handshake('/ws?q=attack'));
    assert.equal(rawStatusCode(text), 403);
    assert.ok(rawHeader(text, 'x-request-id'));
    assert.equal(upstream.upgrades.length, count);
  });

  it("relays the upstream's refusal", async () => {
    const text = await rawExchange(proxy.port, handshake('/not-ws'));
    assert.equal(rawStatusCode(text), 426);
    assert.match(text, /nope$/);
  });
});

describe('WebSocket upgrade to a dead upstream', () => {
  it('answers 502', async () => {
    const upstream = await startWsUpstream();
    await upstream.close();
    const proxy = await startProxy({ waf: new FakeWaf(), upstreams: [upstream.url] });
    try {
      const text = await rawExchange(proxy.port, handshake('/ws'));
      assert.equal(rawStatusCode(text), 502);
    } finally {
      await proxy.close();
    }
  });
});
