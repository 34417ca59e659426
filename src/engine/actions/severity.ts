/**
 * severity (metadata)
 * Description: the rule's severity, by number (0-7) or syslog name; HIGHEST_SEVERITY tracks the lowest number seen.
 * Arguments: EMERGENCY(0) ALERT(1) CRITICAL(2) ERROR(3) WARNING(4) NOTICE(5) INFO(6) DEBUG(7).
 * Example: SecRule ARGS "@rx x" "id:1,severity:'CRITICAL'"
 */
import { RuleError } from '../errors.ts';
import type { ActionDefinition } from './types.ts';
import { requireArgument } from './argument.ts';

const NAMES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];

export const severity: ActionDefinition = {
  kind: 'metadata',
  apply(set, argument, ctx) {
    const text = requireArgument('severity', argument, ctx).trim();
    const n = /^[0-7]$/.test(text) ? Number(text) : NAMES.indexOf(text.toUpperCase());
    if (n < 0) throw new RuleError(`invalid severity '${text}'`, ctx.file, ctx.line);
    set.severity = n;
  },
};
