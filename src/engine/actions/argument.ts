/** Argument checks shared by action definitions; errors carry the rule's file:line. */
import { RuleError } from '../errors.ts';
import type { ActionContext } from './types.ts';

export function requireArgument(name: string, argument: string | undefined, ctx: ActionContext): string {
  if (argument === undefined || argument === '') throw new RuleError(`action ${name} requires an argument`, ctx.file, ctx.line);
  return argument;
}

export function forbidArgument(name: string, argument: string | undefined, ctx: ActionContext): void {
  if (argument !== undefined && argument !== '') {
    throw new RuleError(`action ${name} takes no argument (got '${argument}')`, ctx.file, ctx.line);
  }
}

export function integerArgument(name: string, argument: string | undefined, ctx: ActionContext, min = 0): number {
  const text = requireArgument(name, argument, ctx).trim();
  if (!/^-?\d+$/.test(text) || Number(text) < min) {
    throw new RuleError(`action ${name}: invalid number '${text}'`, ctx.file, ctx.line);
  }
  return Number(text);
}
