/**
 * phase (metadata)
 * Description: the processing phase the rule runs in.
 * Arguments: 1-5, or request (2), response (4), logging (5).
 * Example: SecRule REQUEST_HEADERS:Host "@eq 0" "id:1,phase:request,deny"
 */
import { RuleError } from '../errors.ts';
import type { ActionDefinition } from './types.ts';
import { requireArgument } from './argument.ts';

const NAMES: Readonly<Record<string, number>> = { request: 2, response: 4, logging: 5 };

export function parsePhase(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^[1-5]$/.test(t)) return Number(t);
  return NAMES[t];
}

export const phase: ActionDefinition = {
  kind: 'metadata',
  apply(set, argument, ctx) {
    const p = parsePhase(requireArgument('phase', argument, ctx));
    if (p === undefined) throw new RuleError(`invalid phase '${argument}'`, ctx.file, ctx.line);
    set.phase = p;
  },
};
