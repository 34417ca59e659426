/**
 * Errors raised by the request body processors.
 *
 * A `BodyParseError` means the body could not be parsed by the selected
 * processor: the engine sets REQBODY_ERROR=1 and REQBODY_ERROR_MSG to the
 * message, as ModSecurity v2 does ("JSON parsing error: ...", "XML parser
 * error: ..."). The processors never throw anything else on hostile input.
 */
import type { ArgPair } from './types.ts';

export class BodyParseError extends Error {
  /** Which processor failed: the REQBODY_PROCESSOR name. */
  readonly processor: 'URLENCODED' | 'MULTIPART' | 'JSON' | 'XML';
  /**
   * Arguments produced before the error. ModSecurity v2's JSON parser adds
   * them to ARGS as it goes, so they stay inspectable after a parse error.
   */
  readonly partialArgs: readonly ArgPair[];

  constructor(processor: BodyParseError['processor'], message: string, partialArgs: readonly ArgPair[] = []) {
    super(message);
    this.name = 'BodyParseError';
    this.processor = processor;
    this.partialArgs = partialArgs;
  }

  /**
   * REQBODY_ERROR_MSG as ModSecurity v2 words it: "JSON parsing error: <yajl
   * message>", "XML parsing error: XML: ..." (v2 says only "XML: Failed parsing
   * document."; picket keeps the reason).
   */
  get reqbodyErrorMsg(): string {
    return `${this.processor} parsing error: ${this.message}`;
  }
}
