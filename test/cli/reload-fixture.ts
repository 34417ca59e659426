/**
 * What the reload tests share: an upstream that answers 200, a rules file whose
 * one rule denies a chosen X-Block value, a config proxying to the upstream with
 * that file (plus the caller's flags), and a status probe.
 */
import { createServer, request, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config/load.ts';
import type { PicketConfig } from '../../src/config/types.ts';

/** The rule the tests rewrite between reloads: 403 when X-Block equals `value`. */
export function denying(value: string): string {
  return `SecRule REQUEST_HEADERS:X-Block "@streq ${value}" "id:77,phase:1,deny,status:403"\n`;
}

export interface ReloadFixture {
  readonly config: PicketConfig;
  /** The rules file, denying X-Block `a` to start with. */
  readonly rules: string;
  closeUpstream(): Promise<void>;
}

export async function reloadFixture(flags: readonly { flag: string; value: string }[] = []): Promise<ReloadFixture> {
  const upstream: Server = createServer((_req, res) => res.writeHead(200).end('ok'));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const rules = join(mkdtempSync(join(tmpdir(), 'picket-reload-')), 'rules.conf');
  writeFileSync(rules, denying('a'));
  const config = loadConfig({
    env: {},
    flags: [
      { flag: 'upstream', value: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` },
      { flag: 'listen', value: '127.0.0.1:0' }, { flag: 'admin', value: 'off' },
      ...flags, { flag: 'rules', value: rules },
    ],
  });
  return {
    config,
    rules,
    async closeUpstream() {
      upstream.closeAllConnections();
      await new Promise((resolve) => upstream.close(resolve));
    },
  };
}

/** The status of a GET to picket on `port`. */
export function statusOf(port: number, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject).end();
  });
}
