import type { Macro, MacroSource } from '../macro.types.ts';

/** What an operator factory gets besides its argument, at load time. */
export interface OperatorContext {
  /** Rule file and line, for error messages. */
  readonly file: string;
  readonly line: number;
  /** Directory of the rule file: `@pmFromFile`/`@ipMatchFromFile` paths are relative to it. */
  readonly baseDir: string;
  /** Compile an argument that may contain `%{...}` macros. */
  compileMacro(text: string): Macro;
}

/**
 * The narrow view of the transaction an operator sees at run time.
 * Operators never see the whole transaction.
 */
export interface MatchState extends MacroSource {
  /** True when the rule has the `capture` action: operators then write TX:0..9. */
  readonly capture: boolean;
  /** Set TX:index (0..9) when capturing. */
  setCapture(index: number, value: string): void;
  /**
   * A regex gave up on its match or recursion limit (SecPcreMatchLimit*): the engine sets
   * MSC_PCRE_LIMITS_EXCEEDED=1, as ModSecurity v2 does; the operator then reports no match.
   */
  pcreLimitExceeded?(): void;
}

/** A compiled operator. `input` is a byte string (see transformations/types.ts). */
export interface Operator {
  match(input: string, state: MatchState): boolean;
  /**
   * Byte sets of which every matching input holds at least one byte each, as 8 words
   * of 32 bits per set (bit c & 31 of word c >>> 5 is byte c); absent when there are
   * none. They hold for byte strings only: a character above 0xFF rules nothing out.
   * The engine screens new values with them (byte-screen.ts).
   */
  readonly requiredBytes?: Int32Array;
}

/**
 * Builds an operator from its argument (the text after `@name `).
 * Throws `RuleError` (errors.ts) with a clear message when the argument is invalid.
 */
export type OperatorFactory = (argument: string, context: OperatorContext) => Operator;
