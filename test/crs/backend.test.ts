import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { request } from 'undici';
import { detectContentType, startBackend, type Backend } from './backend.ts';

let backend: Backend;
before(async () => {
  backend = await startBackend();
});
after(async () => {
  await backend.close();
});

test('default: 200 with an empty body and no Content-Type', async () => {
  const res = await request(`${backend.url}/get?x=1`);
  assert.equal(res.statusCode, 200);
  assert.equal(await res.body.text(), '');
  assert.equal(res.headers['content-type'], undefined);
});

test('/reflect answers with the given status, headers and body', async () => {
  const res = await request(`${backend.url}/reflect`, {
    method: 'POST',
    body: JSON.stringify({ status: 201, headers: { 'X-Leak': 'yes' }, body: '<?php echo 1; ?>' }),
  });
  assert.equal(res.statusCode, 201);
  assert.equal(res.headers['x-leak'], 'yes');
  assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
  assert.equal(await res.body.text(), '<?php echo 1; ?>');
});

test('/reflect decodes encodedBody and rejects bad JSON and bad statuses', async () => {
  const ok = await request(`${backend.url}/reflect`, {
    method: 'POST',
    body: JSON.stringify({ encodedBody: Buffer.from('<html><body>x').toString('base64') }),
  });
  assert.equal(ok.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(await ok.body.text(), '<html><body>x');
  const bad = await request(`${backend.url}/reflect`, { method: 'POST', body: '{' });
  assert.equal(bad.statusCode, 400);
  await bad.body.dump();
  const badStatus = await request(`${backend.url}/reflect`, { method: 'POST', body: '{"status": 42}' });
  assert.equal(badStatus.statusCode, 400);
  assert.equal(await badStatus.body.text(), 'Invalid status code: 42');
});

test('configure_reflection makes an endpoint answer; reset forgets it', async () => {
  const conf = await request(`${backend.url}/configure_reflection`, {
    method: 'POST',
    body: JSON.stringify({ endpoints: [{ method: 'GET', url: '/leak' }], status: 500, body: 'ORA-01756' }),
  });
  await conf.body.dump();
  const leak = await request(`${backend.url}/leak`);
  assert.equal(leak.statusCode, 500);
  assert.equal(await leak.body.text(), 'ORA-01756');
  await (await request(`${backend.url}/reset`, { method: 'PUT' })).body.dump();
  const after = await request(`${backend.url}/leak`);
  assert.equal(after.statusCode, 200);
  await after.body.dump();
});

test('content sniffing follows Go: xml, html, text, binary', () => {
  assert.equal(detectContentType(Buffer.from('  <?xml version="1.0"?>')), 'text/xml; charset=utf-8');
  assert.equal(detectContentType(Buffer.from('<!-- x -->')), 'text/html; charset=utf-8');
  assert.equal(detectContentType(Buffer.from('{"a":1}')), 'text/plain; charset=utf-8');
  assert.equal(detectContentType(Buffer.from([0, 1, 2])), 'application/octet-stream');
});
