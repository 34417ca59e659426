/** `picket version`: the package version and the Node.js it runs on. */
import { readFileSync } from 'node:fs';
import { write } from './io.ts';
import type { Command } from './io.ts';

/** From package.json (src/cli → ../../package.json; dist/cli likewise). */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export const version: Command = async (io) => {
  write(io.stdout, `picket ${VERSION} (node ${process.version})`);
  return 0;
};
