/**
 * The go-ftw test format (coreruleset/ftw-tests-schema v2) as the runner
 * uses it, after defaults and legacy fields are resolved (test/crs/load.ts).
 */

/** One request to send. Header order is what goes on the wire. */
export interface StageInput {
  readonly method: string;
  readonly uri: string;
  /** Request-line protocol; '' sends a request line without one (HTTP/0.9 style). */
  readonly version: string;
  readonly headers: readonly (readonly [string, string])[];
  /** Body text as written in YAML (templates not yet expanded); null when absent. */
  readonly data: string | null;
  /** Body bytes given base64 (`encoded_data`). */
  readonly encodedData: string | null;
  /** A whole raw request given base64 (`encoded_request`); replaces everything else. */
  readonly encodedRequest: string | null;
  /** go-ftw adds Content-Type/Content-Length/Connection and encodes form data unless false (`stop_magic` inverse). */
  readonly autocompleteHeaders: boolean;
  /** dest_addr/port/protocol are recorded but the runner always targets picket on loopback. */
  readonly destAddr: string;
  readonly port: number;
  readonly protocol: string;
}

/** What go-ftw checks after the request. Every field optional, as in the schema. */
export interface StageOutput {
  /** Expected status; go-ftw v2 takes one code, the old format a list (any of them). */
  readonly status?: readonly number[];
  readonly expectIds?: readonly number[];
  readonly noExpectIds?: readonly number[];
  /** Regex over the transaction's error-log lines (`match_regex`, legacy `log_contains`). */
  readonly matchRegex?: string;
  readonly noMatchRegex?: string;
  /** Regex over the raw response (`response_contains`). */
  readonly responseContains?: string;
  /** Exactly one rule id may appear in the log (`isolated`). */
  readonly isolated?: boolean;
  /** The request must fail at the HTTP level (no parseable response); all other checks are then skipped. */
  readonly expectError?: boolean;
  /** go-ftw repeats a failing stage once (phase-5 log races); we record it only. */
  readonly retryOnce?: boolean;
}

export interface Stage {
  readonly input: StageInput;
  readonly output: StageOutput;
}

export interface FtwTest {
  /** `<rule_id>-<test_id>`, go-ftw's IdString(). */
  readonly id: string;
  readonly ruleId: number;
  readonly testId: number;
  readonly desc: string;
  /** Path relative to the regression-tests directory, e.g. REQUEST-920-PROTOCOL-ENFORCEMENT/920100.yaml. */
  readonly file: string;
  readonly stages: readonly Stage[];
}
