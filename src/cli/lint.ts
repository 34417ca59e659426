/**
 * `picket lint RULES... [--crs DIR [--crs-setup FILE]]`: compile rule files
 * (files, directories, globs) and print every error as `file:line: message`
 * on stderr. Constructs picket does not implement are summarised by kind and
 * name with a count and every place they occur. Exit 1 on any error.
 */
import { crsSources, describeSources, expandRulePath } from '../config/ruleset.ts';
import type { RuleSource } from '../engine/api.ts';
import { UnsupportedError, loadRuleset } from '../engine/index.ts';
import type { UnsupportedConstruct } from '../engine/index.ts';
import { WafError } from '../errors.ts';
import { parseArgv, takeFlags } from './args.ts';
import { write } from './io.ts';
import type { Command } from './io.ts';
import { resolve } from 'node:path';

export const LINT_HELP = `Usage: picket lint [RULES...] [--crs DIR [--crs-setup FILE]]

Compiles the given rule files (directories: every *.conf by name; globs) and,
with --crs, an OWASP CRS directory in picket's load order. Prints every error
as file:line: message on stderr, then a summary of unsupported constructs.
Exit status 1 when anything fails to compile.

  --crs DIR          OWASP CRS directory (setup file, plugins, rules/*.conf)
  --crs-setup FILE   CRS setup file (default DIR/crs-setup.conf, else .example)
  --paranoia N       paranoia level for the generated CRS settings (default 1)
`;

const VALUE_FLAGS = new Set(['crs', 'crs-setup', 'paranoia']);

/** Groups unsupported constructs: kind + name → places. */
export function summariseUnsupported(list: readonly UnsupportedConstruct[]): string[] {
  const groups = new Map<string, UnsupportedConstruct[]>();
  for (const item of list) {
    const key = `${item.kind} ${item.name}`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups.entries()]
    .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
    .map(([key, places]) => `  ${key}: ${places.length} use${places.length === 1 ? '' : 's'} at ${places.map((p) => `${p.file}:${p.line}`).join(', ')}`);
}

export const lint: Command = async (io) => {
  const args = parseArgv(io.argv, (name) => VALUE_FLAGS.has(name));
  if (args.help) {
    write(io.stdout, LINT_HELP);
    return 0;
  }
  const crs = takeFlags(args.flags, 'crs').at(-1);
  const crsSetup = takeFlags(args.flags, 'crs-setup').at(-1);
  const paranoia = takeFlags(args.flags, 'paranoia').at(-1);
  const unknown = args.flags[0];
  if (unknown) throw new WafError('WAF_ERR_USAGE', `lint: unknown option --${unknown.flag} (see picket lint --help)`);
  for (const [name, value] of [['crs', crs], ['crs-setup', crsSetup], ['paranoia', paranoia]] as const) {
    if (value === true) throw new WafError('WAF_ERR_USAGE', `lint: --${name} needs a value`);
  }
  if (crsSetup !== undefined && crs === undefined) throw new WafError('WAF_ERR_USAGE', 'lint: --crs-setup needs --crs DIR');
  if (crs === undefined && args.positionals.length === 0) throw new WafError('WAF_ERR_USAGE', 'lint: give rule files or --crs DIR (see picket lint --help)');
  const level = paranoia === undefined ? 1 : Number(paranoia);
  if (!Number.isInteger(level) || level < 1 || level > 4) throw new WafError('WAF_ERR_USAGE', `lint: --paranoia must be 1-4, got ${String(paranoia)}`);

  const sources: RuleSource[] = [];
  if (typeof crs === 'string') {
    sources.push(...crsSources({
      files: [], crsDir: crs, ...(typeof crsSetup === 'string' ? { crsSetup: resolve(io.cwd, crsSetup) } : {}),
      paranoiaLevel: level, inboundAnomalyThreshold: 5, outboundAnomalyThreshold: 4,
    }));
  }
  for (const entry of args.positionals) sources.push(...expandRulePath(entry).map((file) => ({ file })));

  const { waf, errors } = loadRuleset(sources);
  const unsupported = errors.filter((e): e is UnsupportedError => e instanceof UnsupportedError)
    .map((e) => ({ kind: e.kind, name: e.construct, file: e.file, line: e.line }));
  for (const error of errors) write(io.stderr, error.format());
  if (unsupported.length > 0) {
    write(io.stderr, `\nunsupported constructs (${unsupported.length} use${unsupported.length === 1 ? '' : 's'}):`);
    for (const line of summariseUnsupported(unsupported)) write(io.stderr, line);
  }
  const files = describeSources(sources).filter((s) => !s.startsWith('picket:')).length;
  if (errors.length > 0) {
    write(io.stderr, `\n${errors.length} error${errors.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`);
    return 1;
  }
  write(io.stdout, `ok: ${waf.ruleCount} rules from ${files} file${files === 1 ? '' : 's'}`);
  return 0;
};
