/**
 * Parses the three SecRule arguments: targets, operator and actions.
 *
 * Targets: `VAR|VAR:key|VAR:/regex/|!VAR:key|&VAR` (names case-insensitive; keys
 * may be single-quoted; a `/regex/` key may contain `|`). Operator: `[!]@name arg`,
 * or text without `@` meaning `@rx text`. Actions: `name[:value]` separated by commas,
 * values single-quoted with `\'` and `\\` escapes (ModSecurity's msre_parse_generic).
 */
import { RuleError, UnsupportedError } from '../errors.ts';
import { getAction } from '../actions/index.ts';
import { emptyActionSet } from '../actions/types.ts';
import type { ActionContext, ActionSet } from '../actions/types.ts';
import { canonicalVariableName, getVariable } from '../variables/index.ts';

export interface TargetSpec {
  /** Upper-case variable name. */
  readonly variable: string;
  readonly key?: string;
  readonly keyRegex?: RegExp;
  /** `&VAR`: the number of values instead of the values. */
  readonly count: boolean;
  /** `!VAR:key`: remove these from the rule's targets. */
  readonly negated: boolean;
}

export function parseTargets(text: string, file: string, line: number): TargetSpec[] {
  const out: TargetSpec[] = [];
  let p = 0;
  const n = text.length;
  while (p < n) {
    while (p < n && (text[p] === ' ' || text[p] === '\t' || text[p] === '|')) p++;
    if (p >= n) break;
    let negated = false;
    let count = false;
    if (text[p] === '!') {
      negated = true;
      p++;
    } else if (text[p] === '&') {
      count = true;
      p++;
    }
    const nameStart = p;
    while (p < n && text[p] !== ':' && text[p] !== '|' && text[p] !== ' ' && text[p] !== '\t') p++;
    const written = text.slice(nameStart, p).toUpperCase();
    if (written === '') throw new RuleError(`missing variable name in '${text}'`, file, line);
    const variable = canonicalVariableName(written);
    const def = variable === undefined ? undefined : getVariable(variable);
    if (variable === undefined || def === undefined) throw new UnsupportedError('variable', written, file, line);
    let key: string | undefined;
    let keyRegex: RegExp | undefined;
    if (text[p] === ':') {
      p++;
      if (text[p] === "'") {
        const end = text.indexOf("'", p + 1);
        if (end === -1) throw new RuleError(`missing closing quote in target '${text}'`, file, line);
        key = text.slice(p + 1, end);
        p = end + 1;
      } else if (text[p] === '/' && variable !== 'XML') {
        let q = p + 1;
        while (q < n && text[q] !== '/') q += text[q] === '\\' ? 2 : 1;
        if (q >= n) throw new RuleError(`missing closing / in target '${text}'`, file, line);
        keyRegex = compileKeyRegex(text.slice(p + 1, q), file, line);
        p = q + 1;
      } else {
        const keyStart = p;
        while (p < n && text[p] !== '|') p++;
        key = text.slice(keyStart, p).trim();
      }
      // XML keys are XPath expressions (`XML:/*`), never regexes.
      if (variable !== 'XML' && key !== undefined && key.length >= 2 && key.startsWith('/') && key.endsWith('/')) {
        keyRegex = compileKeyRegex(key.slice(1, -1), file, line);
        key = undefined;
      }
      if (!def.collection && (key !== undefined || keyRegex !== undefined)) {
        throw new RuleError(`variable ${variable} takes no key`, file, line);
      }
    }
    const spec: TargetSpec = { variable, count, negated };
    out.push(key !== undefined ? { ...spec, key } : keyRegex !== undefined ? { ...spec, keyRegex } : spec);
  }
  if (out.length === 0) throw new RuleError('rule has no targets', file, line);
  return out;
}

/** Key regexes are case-insensitive in ModSecurity v2 (PCRE_CASELESS | PCRE_DOTALL). */
function compileKeyRegex(source: string, file: string, line: number): RegExp {
  try {
    return new RegExp(source, 'is');
  } catch (e) {
    throw new RuleError(`invalid key regex /${source}/: ${(e as Error).message}`, file, line);
  }
}

export interface OperatorSpec {
  readonly name: string;
  readonly argument: string;
  readonly negated: boolean;
}

export function parseOperator(text: string): OperatorSpec {
  let t = text.replace(/^[ \t]+/, '');
  let negated = false;
  if (t.startsWith('!')) {
    negated = true;
    t = t.slice(1).replace(/^[ \t]+/, '');
  }
  if (!t.startsWith('@')) return { name: 'rx', argument: t, negated };
  const m = /^@([^\s]*)\s?([\s\S]*)$/.exec(t);
  return { name: m?.[1] ?? '', argument: (m?.[2] ?? '').replace(/^[ \t]+/, ''), negated };
}

export interface ActionToken {
  readonly name: string;
  readonly value: string | undefined;
}

/** Splits an action list into name/value pairs (ModSecurity v2's msre_parse_generic). */
export function splitActions(text: string, file: string, line: number): ActionToken[] {
  const out: ActionToken[] = [];
  let p = 0;
  const n = text.length;
  const space = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
  while (p < n) {
    while (p < n && space(text[p])) p++;
    if (p >= n) break;
    const start = p;
    while (p < n && text[p] !== ',' && text[p] !== ':' && !space(text[p])) p++;
    const name = text.slice(start, p);
    if (text[p] !== ':') {
      out.push({ name, value: undefined });
      while (p < n && space(text[p])) p++;
      if (p >= n) break;
      if (text[p] === ',') {
        p++;
        continue;
      }
      throw new RuleError(`unexpected character '${text[p]}' at position ${p} in actions`, file, line);
    }
    p++;
    if (p >= n || text[p] === ',') {
      out.push({ name, value: undefined });
      p++;
      continue;
    }
    let value = '';
    if (text[p] === "'") {
      p++;
      let closed = false;
      let from = p; // text since the last escape is copied in one slice
      while (p < n) {
        const ch = text.charCodeAt(p);
        if (ch === 0x5c) {
          const next = text[p + 1];
          if (next !== "'" && next !== '\\') {
            throw new RuleError(`invalid quoted pair at position ${p} in actions`, file, line);
          }
          value += text.slice(from, p) + next;
          p += 2;
          from = p;
        } else if (ch === 0x27) {
          value += text.slice(from, p);
          closed = true;
          p++;
          break;
        } else {
          p++;
        }
      }
      if (!closed) throw new RuleError(`missing closing quote in actions`, file, line);
    } else {
      const vs = p;
      while (p < n && text[p] !== ',' && !space(text[p])) p++;
      value = text.slice(vs, p);
    }
    out.push({ name, value });
    while (p < n && space(text[p])) p++;
    if (p < n) {
      if (text[p] !== ',') throw new RuleError(`unexpected character '${text[p]}' at position ${p} in actions`, file, line);
      p++;
    }
  }
  return out;
}

/** Parses and applies an action list; unknown actions throw `unsupported action <name>`. */
export function parseActions(text: string, ctx: ActionContext): ActionSet {
  const set = emptyActionSet();
  for (const { name, value } of splitActions(text, ctx.file, ctx.line)) {
    const def = getAction(name);
    if (def === undefined) throw new UnsupportedError('action', name, ctx.file, ctx.line);
    def.apply(set, value, ctx);
    set.names.push(name.toLowerCase());
  }
  return set;
}
