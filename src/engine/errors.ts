/**
 * Errors raised while loading rules or configuration. Every one carries the
 * file and line it concerns so that `picket lint` and `picket run` can print
 * `file:line: message`.
 */
export class RuleError extends Error {
  readonly file: string;
  readonly line: number;

  constructor(message: string, file = '', line = 0) {
    super(message);
    this.name = 'RuleError';
    this.file = file;
    this.line = line;
  }

  /** `file:line: message`, the form editors and CI annotate. */
  format(): string {
    return this.file ? `${this.file}:${this.line}: ${this.message}` : this.message;
  }
}

/** A construct picket does not implement: never ignored silently. */
export class UnsupportedError extends RuleError {
  readonly kind: string;
  readonly construct: string;

  constructor(kind: string, construct: string, file = '', line = 0) {
    super(`unsupported ${kind} ${construct}`, file, line);
    this.name = 'UnsupportedError';
    this.kind = kind;
    this.construct = construct;
  }
}
