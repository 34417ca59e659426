/**
 * The engine's entry points.
 *
 * createWaf(sources)  compiles rules (files, globs, inline text); throws RulesetError
 *                     listing every error with file:line.
 * loadRuleset(sources) the same without throwing: { waf, errors }.
 * createWafAsync / loadRulesetAsync  the same, giving the event loop a turn every
 *                     few ms (options.sliceMs), for reloads in a serving process.
 * lintRules(sources)  every error, and the unsupported constructs among them
 *                     ({kind, name, file, line}) for `picket lint`.
 */
import type { RuleSource, Waf } from './api.ts';
import { RuleError, UnsupportedError } from './errors.ts';
import { parseSources, parseSourcesAsync } from './seclang/parser.ts';
import type { AsyncParseOptions, ParseOptions } from './seclang/parser.ts';
import type { WafImpl } from './waf.ts';

export type { Interruption, MatchedRule, RuleRuntimeError, RuleSource, Transaction, Waf, EngineSettings } from './api.ts';
export { RuleError, UnsupportedError } from './errors.ts';

export type WafOptions = ParseOptions;
export type AsyncWafOptions = AsyncParseOptions;

/** All load errors at once; `errors` keeps each one with its file and line. */
export class RulesetError extends RuleError {
  readonly errors: readonly RuleError[];

  constructor(errors: readonly RuleError[]) {
    const first = errors[0] as RuleError;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
    super(`${first.message}${more}`, first.file, first.line);
    this.name = 'RulesetError';
    this.errors = errors;
  }

  /** One `file:line: message` per error. */
  override format(): string {
    return this.errors.map((e) => e.format()).join('\n');
  }
}

export interface LoadResult {
  readonly waf: WafImpl;
  readonly errors: readonly RuleError[];
}

export function loadRuleset(sources: readonly RuleSource[], options: WafOptions = {}): LoadResult {
  const builder = parseSources(sources, options);
  return { waf: builder.build(), errors: builder.errors };
}

export function createWaf(sources: readonly RuleSource[], options: WafOptions = {}): Waf {
  const { waf, errors } = loadRuleset(sources, options);
  if (errors.length > 0) throw new RulesetError(errors);
  return waf;
}

/** loadRuleset in slices of about options.sliceMs, with an event-loop turn between them. */
export async function loadRulesetAsync(sources: readonly RuleSource[], options: AsyncWafOptions = {}): Promise<LoadResult> {
  const builder = await parseSourcesAsync(sources, options);
  return { waf: builder.build(), errors: builder.errors };
}

/** createWaf in slices of about options.sliceMs, with an event-loop turn between them. */
export async function createWafAsync(sources: readonly RuleSource[], options: AsyncWafOptions = {}): Promise<Waf> {
  const { waf, errors } = await loadRulesetAsync(sources, options);
  if (errors.length > 0) throw new RulesetError(errors);
  return waf;
}

export interface UnsupportedConstruct {
  readonly kind: string;
  readonly name: string;
  readonly file: string;
  readonly line: number;
}

export function lintRules(sources: readonly RuleSource[], options: WafOptions = {}): { errors: RuleError[]; unsupported: UnsupportedConstruct[] } {
  const { errors } = loadRuleset(sources, options);
  const unsupported = errors
    .filter((e): e is UnsupportedError => e instanceof UnsupportedError)
    .map((e) => ({ kind: e.kind, name: e.construct, file: e.file, line: e.line }));
  return { errors: [...errors], unsupported };
}
