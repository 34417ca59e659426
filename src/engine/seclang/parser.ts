/**
 * Loads rule sources into a RulesetBuilder: reads files (globs allowed), lexes
 * them, dispatches each directive to its handler, and follows `Include` (paths
 * and globs relative to the including file, at most MAX_INCLUDE_DEPTH deep).
 * Every error is recorded with file:line and loading continues, so `lint` can
 * report all of them at once.
 *
 * One loader serves both entry points: `loadSteps` is a generator that pauses
 * after every directive. `parseSources` runs it straight through;
 * `parseSourcesAsync` gives the event loop a turn whenever a slice of work
 * (SLICE_MS by default) has run, so a reload inside a serving process does not
 * stall requests. Both apply the same directives in the same order.
 */
import { globSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { RuleError, UnsupportedError } from '../errors.ts';
import type { RuleSource } from '../api.ts';
import { RulesetBuilder } from './builder.ts';
import { getDirective } from './directives/index.ts';
import { lex } from './lexer.ts';
import type { Directive } from './lexer.ts';

export const MAX_INCLUDE_DEPTH = 16;

export interface ParseOptions {
  /** Directory that relative RuleSource file paths resolve against (default: process.cwd()). */
  readonly baseDir?: string;
}

export interface AsyncParseOptions extends ParseOptions {
  /** Longest stretch of loading between two event-loop turns, in ms (default SLICE_MS). */
  readonly sliceMs?: number;
}

/** Default work slice of the async loader: short enough not to delay requests noticeably. */
export const SLICE_MS = 5;

/** Work units of loading: the generator pauses (yields) after each directive. */
type Steps = Generator<void, void, void>;

export function parseSources(sources: readonly RuleSource[], options: ParseOptions = {}): RulesetBuilder {
  const builder = new RulesetBuilder();
  const steps = loadSteps(builder, sources, options);
  while (steps.next().done !== true);
  return builder;
}

/** The same load, giving the event loop a turn (setImmediate) after every slice of work. */
export async function parseSourcesAsync(sources: readonly RuleSource[], options: AsyncParseOptions = {}): Promise<RulesetBuilder> {
  const builder = new RulesetBuilder();
  const slice = options.sliceMs ?? SLICE_MS;
  const steps = loadSteps(builder, sources, options);
  let sliceStart = performance.now();
  while (steps.next().done !== true) {
    if (performance.now() - sliceStart >= slice) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  return builder;
}

function* loadSteps(builder: RulesetBuilder, sources: readonly RuleSource[], options: ParseOptions): Steps {
  const base = options.baseDir ?? process.cwd();
  for (const source of sources) {
    if (source.text !== undefined) {
      yield* loadText(builder, source.text, source.name ?? source.file ?? '<inline>', 0, source.file ? dirname(resolve(base, source.file)) : base);
    } else if (source.file !== undefined) {
      yield* loadPattern(builder, source.file, base, 0, '', 0);
    } else {
      builder.errors.push(new RuleError('rule source has neither file nor text'));
    }
  }
  if (builder.pendingChain) {
    const r = builder.pendingChain;
    builder.errors.push(new RuleError('rule has chain but no rule follows it', r.file, r.line));
    builder.pendingChain = null;
  }
}

function hasGlob(p: string): boolean {
  return /[*?[]/.test(p);
}

/**
 * The files a glob names, sorted. `dir/*.conf`-style patterns (wildcards `*`
 * and `?` in the last segment only, CRS's Include form) are matched against the
 * directory listing, as fs.globSync would (a wildcard does not match a leading
 * dot), without its ~15 ms start-up; every other pattern goes to fs.globSync.
 */
function globFiles(full: string): string[] {
  const dir = dirname(full);
  const name = basename(full);
  let found: string[];
  if (!hasGlob(dir) && /^[^[\]{}()\\!+@]*$/.test(name)) {
    let source = name.startsWith('.') ? '^' : '^(?!\\.)';
    for (const ch of name) source += ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.^$|+(){}[\]\\/]/g, '\\$&');
    const matcher = new RegExp(`${source}$`, 's');
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      names = [];
    }
    found = names.filter((n) => matcher.test(n)).map((n) => join(dir, n));
  } else {
    found = globSync(full);
  }
  return found.filter((f) => {
    try {
      return statSync(f).isFile();
    } catch {
      return false;
    }
  }).sort();
}

function* loadPattern(builder: RulesetBuilder, pattern: string, baseDir: string, depth: number, fromFile: string, fromLine: number): Steps {
  const full = isAbsolute(pattern) ? pattern : resolve(baseDir, pattern);
  let files: string[];
  if (hasGlob(full)) {
    files = globFiles(full);
    if (files.length === 0) {
      builder.errors.push(new RuleError(`no files match ${pattern}`, fromFile, fromLine));
      return;
    }
  } else {
    files = [full];
  }
  for (const file of files) {
    let text: string;
    try {
      // Byte strings: one char per byte, as the engine inspects them (DEVELOPERS.md).
      text = readFileSync(file).toString('latin1');
    } catch (e) {
      builder.errors.push(new RuleError(`cannot read ${file}: ${(e as Error).message}`, fromFile, fromLine));
      continue;
    }
    yield* loadText(builder, text, file, depth, dirname(file));
  }
}

function* loadText(builder: RulesetBuilder, text: string, file: string, depth: number, dir: string): Steps {
  const directives = lex(text, file, builder.errors);
  yield;
  for (const d of directives) {
    const include = includeOf(builder, d, depth);
    if (include !== undefined) yield* loadPattern(builder, include, dir, depth + 1, d.file, d.line);
    else apply(builder, d, dir);
    yield;
  }
}

/** The pattern of a valid `Include`; undefined for other directives and for a bad Include (its error is recorded). */
function includeOf(builder: RulesetBuilder, d: Directive, depth: number): string | undefined {
  if (d.name.toLowerCase() !== 'include') return undefined;
  if (d.args.length !== 1) {
    builder.errors.push(new RuleError('Include takes 1 argument', d.file, d.line));
  } else if (depth + 1 > MAX_INCLUDE_DEPTH) {
    builder.errors.push(new RuleError(`Include nested deeper than ${MAX_INCLUDE_DEPTH} (recursive Include?)`, d.file, d.line));
  } else {
    return d.args[0] ?? '';
  }
  return undefined;
}

function apply(builder: RulesetBuilder, d: Directive, dir: string): void {
  if (d.name.toLowerCase() === 'include') return; // reported by includeOf
  try {
    const lower = d.name.toLowerCase();
    if (builder.orphanChain) {
      if (lower === 'secrule') {
        builder.orphanChain = hasChainAction(d.args[2]);
        return;
      }
      builder.orphanChain = false;
    }
    if (builder.pendingChain && lower !== 'secrule') {
      const r = builder.pendingChain;
      builder.pendingChain = null;
      builder.errors.push(new RuleError('rule has chain but the next directive is not a SecRule', r.file, r.line));
    }
    const handler = getDirective(lower);
    if (handler === undefined) throw new UnsupportedError('directive', d.name, d.file, d.line);
    builder.currentDir = dir;
    handler(builder, d);
  } catch (e) {
    if (e instanceof RuleError) {
      // Keep the directive's location when a helper threw without one.
      builder.errors.push(e.file ? e : e instanceof UnsupportedError ? new UnsupportedError(e.kind, e.construct, d.file, d.line) : new RuleError(e.message, d.file, d.line));
      // A failed link leaves its chain open: close it so later rules stay independent.
      if (d.name.toLowerCase() === 'secrule') {
        // A broken link must not leave its head matching alone: disable the whole chain.
        const open = builder.pendingChain;
        if (open) (open.head ?? open).removed = true;
        builder.pendingChain = null;
        builder.orphanChain = hasChainAction(d.args[2]);
      }
    } else {
      builder.errors.push(new RuleError(`internal error: ${(e as Error).message}`, d.file, d.line));
    }
  }
}

/** Whether an action list (unparsed) contains `chain`: used only to skip links of a broken chain. */
function hasChainAction(actions: string | undefined): boolean {
  return actions !== undefined && /(?:^|,)\s*chain\s*(?:,|$)/i.test(actions);
}
