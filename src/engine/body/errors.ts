/**
 * Errors raised by the request body processors.
 *
 * A `BodyParseError` means the body could not be parsed by the selected
 * processor: the engine sets REQBODY_ERROR=1 and REQBODY_ERROR_MSG to the
 * message, as ModSecurity v2 does ("JSON parsing error: ...", "XML parser
 * error: ..."). The processors never throw anything else on hostile input.
 */
export class BodyParseError extends Error {
  /** Which processor failed: the REQBODY_PROCESSOR name. */
  readonly processor: 'URLENCODED' | 'MULTIPART' | 'JSON' | 'XML';

  constructor(processor: BodyParseError['processor'], message: string) {
    super(message);
    this.name = 'BodyParseError';
    this.processor = processor;
  }
}
