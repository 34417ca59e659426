/**
 * The argument of string operators (@streq, @contains, @within, ...): macros
 * are compiled at load and expanded per call only when the text is not constant.
 */
import type { MacroSource } from '../macro.types.ts';
import type { OperatorContext } from './types.ts';

export type Operand = (source: MacroSource) => string;

export function compileOperand(argument: string, context: OperatorContext): Operand {
  const macro = context.compileMacro(argument);
  if (macro.isConstant) {
    const text = macro.text;
    return () => text;
  }
  return (source) => macro.expand(source);
}
