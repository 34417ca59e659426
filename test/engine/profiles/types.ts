/** A declarative engine profile: rules, requests, and what must (not) happen. */
import type { RequestSpec } from '../harness.ts';

export interface Expectation {
  /** Rule ids that must appear in matchedRules. */
  readonly triggered?: readonly number[];
  /** Rule ids that must not appear. */
  readonly notTriggered?: readonly number[];
  /** The interruption in force (null: none). */
  readonly interruption?: { readonly status: number; readonly ruleId: number; readonly action?: string; readonly url?: string } | null;
  readonly wouldInterrupt?: { readonly status: number; readonly ruleId: number } | null;
  /** TX values after the transaction. */
  readonly tx?: Readonly<Record<string, string>>;
  readonly auditRelevant?: boolean;
  /** matchedVar of the given rule id. */
  readonly matchedVar?: Readonly<Record<number, string>>;
  readonly logdata?: Readonly<Record<number, string>>;
  /** msg of the given rule id, macros expanded. */
  readonly msg?: Readonly<Record<number, string>>;
}

export interface ProfileCase {
  readonly name: string;
  readonly request: RequestSpec;
  readonly expect: Expectation;
}

export interface Profile {
  readonly name: string;
  readonly rules: string;
  /** When set, loading must fail with errors matching these (in order, `file:line: message` form). */
  readonly loadErrors?: readonly RegExp[];
  readonly cases: readonly ProfileCase[];
}
