import type { Directive } from '../lexer.ts';
import type { RulesetBuilder } from '../builder.ts';

/** Applies one directive to the ruleset being built; throws RuleError with the directive's file:line. */
export type DirectiveHandler = (builder: RulesetBuilder, directive: Directive) => void;
