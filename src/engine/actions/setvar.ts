/**
 * setvar (non-disruptive)
 * Description: creates, changes or removes a collection variable, as ModSecurity v2:
 * `col.key=value` sets (macros expanded), `col.key=+N` / `col.key=-N` add to the
 * integer value (atoi semantics, never below 0), `!col.key` removes, `col.key` alone sets 1.
 * Collections: TX, IP, GLOBAL, SESSION, USER, RESOURCE (see docs/seclang-support.md).
 * Arguments: `[!]collection.key[=[+|-]value]`; the key may contain macros.
 * Example: SecRule ARGS "@rx x" "id:1,pass,setvar:'tx.anomaly_score=+%{tx.critical_anomaly_score}'"
 */
import { RuleError } from '../errors.ts';
import type { Macro } from '../macro.types.ts';
import type { ActionDefinition, ActionHost, RuntimeAction } from './types.ts';
import { requireArgument } from './argument.ts';

const COLLECTIONS = new Set(['TX', 'IP', 'GLOBAL', 'SESSION', 'USER', 'RESOURCE']);

/** C atoi(): optional whitespace and sign, then digits; 0 when there are none. */
export function atoi(text: string): number {
  // A scan rather than a regex: setvar runs on every match and most values are short numbers.
  const len = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  while (c === 0x20 || (c >= 0x09 && c <= 0x0d)) c = text.charCodeAt(++i);
  let negative = false;
  if (c === 0x2b || c === 0x2d) {
    negative = c === 0x2d;
    c = text.charCodeAt(++i);
  }
  let n = 0;
  const start = i;
  while (i < len && c >= 0x30 && c <= 0x39) {
    // Past 2^31 the clamp below decides; stop growing so that the sum stays exact.
    if (n < 1e10) n = n * 10 + (c - 0x30);
    c = text.charCodeAt(++i);
  }
  if (i === start) return 0;
  // C int arithmetic: clamp to 32 bits like ModSecurity's int counters.
  if (negative) return n > 2147483648 ? -2147483648 : -n;
  return n > 2147483647 ? 2147483647 : n;
}

class SetVar implements RuntimeAction {
  readonly name = 'setvar';
  readonly #collection: string;
  readonly #key: Macro;
  /** The key lower-cased at load when it holds no macro (most CRS keys), else null. */
  readonly #lowerKey: string | null;
  readonly #value: Macro | null;
  readonly #remove: boolean;
  readonly #relative: boolean;

  constructor(collection: string, key: Macro, value: Macro | null, remove: boolean, relative: boolean) {
    this.#collection = collection;
    this.#key = key;
    this.#lowerKey = key.isConstant ? key.text.toLowerCase() : null;
    this.#value = value;
    this.#remove = remove;
    this.#relative = relative;
  }

  execute(host: ActionHost): void {
    const col = host.collection(this.#collection);
    if (col === undefined) return;
    const constant = this.#lowerKey;
    const key = constant !== null ? this.#key.text : this.#key.expand(host);
    if (this.#remove) {
      col.remove(key);
      return;
    }
    const value = this.#value === null ? '1' : this.#value.expand(host);
    let result = value;
    if (this.#relative) {
      let n = atoi(col.value(constant ?? key) ?? '0') + atoi(value);
      if (n < 0) n = 0;
      result = String(n);
    }
    if (constant !== null) col.setLower(key, constant, result);
    else col.set(key, result);
  }
}

export const setvar: ActionDefinition = {
  kind: 'non-disruptive',
  apply(set, argument, ctx) {
    const text = requireArgument('setvar', argument, ctx);
    const eq = text.indexOf('=');
    let name = (eq === -1 ? text : text.slice(0, eq)).trim();
    const remove = name.startsWith('!');
    if (remove) name = name.slice(1);
    const dot = name.indexOf('.');
    if (dot <= 0) throw new RuleError(`setvar: missing collection in '${text}'`, ctx.file, ctx.line);
    const collection = name.slice(0, dot).toUpperCase();
    if (!COLLECTIONS.has(collection)) {
      throw new RuleError(`setvar: unknown collection '${name.slice(0, dot)}'`, ctx.file, ctx.line);
    }
    let value: Macro | null = null;
    let relative = false;
    if (eq !== -1 && !remove) {
      const raw = text.slice(eq + 1).replace(/^[\t\n\v\f\r ]+/, '');
      relative = raw.startsWith('+') || raw.startsWith('-');
      value = ctx.compileMacro(raw);
    }
    set.actions.push(new SetVar(collection, ctx.compileMacro(name.slice(dot + 1)), value, remove, relative));
  },
};
