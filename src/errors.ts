/**
 * picket's operational errors, each with a stable `WAF_ERR_*` code. The codes
 * are API: docs/errors.md lists every one (test/cli/errors-doc.test.ts keeps
 * both in sync) and a retired code is never reused.
 *
 * Rule-file errors stay engine RuleError (file:line); these wrap what the CLI
 * and the composition root report to the operator.
 */

export const ERROR_CODES = {
  /** A flag, environment variable or YAML key has a bad value or is unknown. */
  WAF_ERR_CONFIG: 'invalid configuration',
  /** The ruleset could not be loaded or compiled. */
  WAF_ERR_RULES: 'ruleset failed to load',
  /** Command-line usage: unknown command, missing argument. */
  WAF_ERR_USAGE: 'invalid usage',
  /** `picket eval` could not parse the raw HTTP request it was given. */
  WAF_ERR_REQUEST_PARSE: 'malformed HTTP request',
  /** A listener (proxy or admin) could not bind its address. */
  WAF_ERR_LISTEN: 'cannot listen',
  /** The audit log file cannot be opened or written. */
  WAF_ERR_AUDIT: 'audit log unavailable',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class WafError extends Error {
  readonly code: ErrorCode;
  /** Individual problems, one line each (e.g. every bad config key), when there are several. */
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: readonly string[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WafError';
    this.code = code;
    this.details = options.details ?? [];
  }

  /** Operator-facing text: the message, then each detail on its own line. */
  format(): string {
    return [`${this.code}: ${this.message}`, ...this.details.map((d) => `  ${d}`)].join('\n');
  }
}

export function isWafError(error: unknown): error is WafError {
  return error instanceof WafError;
}
