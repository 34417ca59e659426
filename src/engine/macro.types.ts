/**
 * A `%{collection.key}` template compiled at load time.
 * `isConstant` is true when the text has no macro, so callers can skip expansion.
 */
export interface Macro {
  readonly text: string;
  readonly isConstant: boolean;
  expand(source: MacroSource): string;
}

/** What a macro reads from: a transaction's variables. */
export interface MacroSource {
  /** The first value of `VARIABLE` or `COLLECTION:key` (case-insensitive names), or '' when absent. */
  lookup(variable: string, key: string | undefined): string;
}
