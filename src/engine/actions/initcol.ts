/**
 * initcol (non-disruptive)
 * Description: opens a persistent collection (IP, GLOBAL, RESOURCE, SESSION, USER) keyed by
 * a value. picket's collections are in memory for one transaction and always open, so
 * this validates the argument and does nothing else (docs/seclang-support.md).
 * Arguments: `collection=key` (macros allowed).
 * Example: SecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"
 */
import { RuleError } from '../errors.ts';
import type { ActionDefinition } from './types.ts';
import { requireArgument } from './argument.ts';

const COLLECTIONS = new Set(['IP', 'GLOBAL', 'RESOURCE', 'SESSION', 'USER']);

export const initcol: ActionDefinition = {
  kind: 'non-disruptive',
  apply(_set, argument, ctx) {
    const text = requireArgument('initcol', argument, ctx);
    const eq = text.indexOf('=');
    const name = (eq === -1 ? text : text.slice(0, eq)).trim().toUpperCase();
    if (eq === -1 || !COLLECTIONS.has(name)) {
      throw new RuleError(`initcol: expected collection=key with one of ${[...COLLECTIONS].join(', ')}`, ctx.file, ctx.line);
    }
    ctx.compileMacro(text.slice(eq + 1));
  },
};
