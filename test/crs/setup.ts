/**
 * How the CRS suite configures picket: CRS loaded as CRS's own test
 * container loads it,
 *
 *   test/crs/crs-test-setup.conf → <crs>/crs-setup.conf.example → <crs>/rules/*.conf
 *
 * and a detect-mode proxy on 127.0.0.1:0 in front of one upstream.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PicketConfig } from '../../src/config/types.ts';
import type { RuleSource } from '../../src/engine/api.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const DEFAULT_CRS_DIR = resolve(REPO_ROOT, '../shared/crs-4.28.0');
export const SETUP_FILE = join(import.meta.dirname, 'crs-test-setup.conf');

/** The rule sources of the CRS test setup, in load order. */
export function crsTestSources(crsDir: string): RuleSource[] {
  const rulesDir = join(crsDir, 'rules');
  const ruleFiles = readdirSync(rulesDir)
    .filter((name) => name.endsWith('.conf'))
    .sort()
    .map((name) => ({ file: join(rulesDir, name) }));
  return [{ file: SETUP_FILE }, { file: join(crsDir, 'crs-setup.conf.example') }, ...ruleFiles];
}

/** Picket's configuration for the suite: detect mode, one static upstream, the image's body limits. */
export function suiteConfig(upstream: string, crsDir: string): PicketConfig {
  return Object.freeze({
    mode: 'detect',
    listen: { host: '127.0.0.1', port: 0 },
    admin: null,
    upstreams: [upstream],
    rules: {
      files: [],
      crsDir,
      crsSetup: join(crsDir, 'crs-setup.conf.example'),
      paranoiaLevel: 4,
      inboundAnomalyThreshold: 5,
      outboundAnomalyThreshold: 4,
    },
    limits: {
      requestBody: 13107200,
      requestBodyNoFiles: 131072,
      requestBodyAction: 'Reject',
      responseBody: 1048576,
      headerBytes: 64 * 1024,
      uriLength: 64 * 1024,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      upstreamTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5_000,
    },
    trustedProxies: [],
    mirror: { sources: [], queueSize: 16 },
    audit: { path: null, all: true },
    logLevel: 'error',
    swarm: null,
  } satisfies PicketConfig);
}
