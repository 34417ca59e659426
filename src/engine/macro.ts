/**
 * Macro expansion (`%{tx.score}`, `%{MATCHED_VAR}`, `%{REQUEST_HEADERS.host}`,
 * `%{rule.id}`), compiled once at load into literal and variable parts.
 *
 * Description: inside `%{...}` the text before the first `.` names a variable
 * (case-insensitive) and the rest is the key; a missing value expands to ''.
 * Text that is not a well-formed macro (`%{` without `}`) stays literal, as in
 * ModSecurity.
 * Example: `setvar:'tx.msg=%{rule.msg} at %{MATCHED_VAR_NAME}'`
 */
import { UnsupportedError } from './errors.ts';
import type { Macro, MacroSource } from './macro.types.ts';
import { getVariable } from './variables/index.ts';

type Part = string | { readonly variable: string; readonly key: string | undefined };

const MACRO = /%\{([^}]+)\}/g;

/** Compiles `text`; throws UnsupportedError for a macro naming an unknown variable. */
export function compileMacro(text: string, file = '', line = 0): Macro {
  if (text.indexOf('%{') === -1) return constant(text);
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(MACRO)) {
    const body = (m[1] ?? '').trim();
    const dot = body.indexOf('.');
    const variable = (dot === -1 ? body : body.slice(0, dot)).toUpperCase();
    // Keys are case-insensitive everywhere; lower-casing here makes run-time lookups allocation-free.
    const key = dot === -1 ? undefined : body.slice(dot + 1).toLowerCase();
    if (variable !== 'RULE' && getVariable(variable) === undefined) {
      throw new UnsupportedError('variable', `${variable} in macro %{${body}}`, file, line);
    }
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push({ variable, key });
    last = m.index + m[0].length;
  }
  if (last === 0) return constant(text);
  if (last < text.length) parts.push(text.slice(last));
  return { text, isConstant: false, expand: expander(parts) };
}

/**
 * The expansion function for `parts`, specialised for the shapes CRS uses on every
 * match (`%{tx.critical_anomaly_score}`, `header_name_%{tx.0}`, `/%{tx.0}/`): no loop,
 * no type test per part, and a lone macro returns the looked-up value itself.
 */
function expander(parts: readonly Part[]): (source: MacroSource) => string {
  const [a, b, c] = parts;
  if (parts.length === 1 && typeof a === 'object') return (s) => s.lookup(a.variable, a.key);
  if (parts.length === 2 && typeof a === 'string' && typeof b === 'object') return (s) => a + s.lookup(b.variable, b.key);
  if (parts.length === 2 && typeof a === 'object' && typeof b === 'string') return (s) => s.lookup(a.variable, a.key) + b;
  if (parts.length === 3 && typeof a === 'string' && typeof b === 'object' && typeof c === 'string') {
    return (s) => a + s.lookup(b.variable, b.key) + c;
  }
  return (source) => {
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : source.lookup(p.variable, p.key);
    return out;
  };
}

function constant(text: string): Macro {
  return { text, isConstant: true, expand: () => text };
}
