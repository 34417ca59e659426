/**
 * The comparison's nginx really runs ModSecurity with CRS (an attack is
 * refused, a plain request passes), and its "no WAF" floor really has none
 * (the same attack reaches the backend).
 * Run: node --test bench/nginx-modsecurity.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { request } from 'undici';
import { nginxMissing, startNginx } from './nginx-modsecurity.ts';
import { startBackendProcess, type Child } from './procs.ts';

const ATTACK = "/search?q=1'%20or%20'1'='1'%20union%20select%20password%20from%20users--";

let backend: Child;
before(async () => {
  const missing = nginxMissing();
  if (missing) {
    assert.fail(`${missing}: install with apt-get update && apt-get install -y nginx libnginx-mod-http-modsecurity`);
  }
  backend = await startBackendProcess();
});
after(async () => {
  await backend?.stop();
});

async function status(port: number, path: string): Promise<number> {
  const response = await request(`http://127.0.0.1:${port}${path}`, { headers: { 'user-agent': 'picket-bench-test', accept: '*/*' } });
  await response.body.dump();
  return response.statusCode;
}

test('nginx + ModSecurity refuses a SQL injection with CRS and passes a plain request', { timeout: 120_000 }, async () => {
  const nginx = await startNginx(backend.port);
  try {
    assert.equal(await status(nginx.port, '/search?q=shoes'), 200);
    assert.equal(await status(nginx.port, ATTACK), 403);
  } finally {
    await nginx.stop();
  }
});

test('nginx without a WAF forwards the same attack to the backend', { timeout: 60_000 }, async () => {
  const nginx = await startNginx(backend.port, 1, null, { waf: false });
  try {
    assert.equal(await status(nginx.port, ATTACK), 200);
  } finally {
    await nginx.stop();
  }
});
