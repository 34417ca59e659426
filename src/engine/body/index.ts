/**
 * Request body processors (REQBODY_PROCESSOR): pure functions from a byte
 * string (one char per byte) to what the variables need. No I/O.
 *
 * Which processor runs (ModSecurity v2 defaults, modsecurity.c):
 * - `URLENCODED` when Content-Type starts with `application/x-www-form-urlencoded`,
 * - `MULTIPART` when it starts with `multipart/form-data` (both case-insensitive),
 * - nothing otherwise: JSON and XML are never chosen by the engine itself. A rule
 *   selects them with `ctl:requestBodyProcessor=JSON|XML`, as ModSecurity's
 *   modsecurity.conf-recommended does (rules 200000 for `(application/(soap+)?|text/)xml`
 *   and 200001 for `application/json`). CRS v4 does not: REQUEST-901 only forces
 *   URLENCODED when `tx.enforce_bodyproc_urlencoded=1` and no processor is set
 *   (rule 901350), so picket's engine defaults must carry the 200000/200001 rules.
 */
export { BodyParseError } from './errors.ts';
export { parseUrlencoded, urlDecodeNonStrict, type UrlencodedResult } from './urlencoded.ts';
export { parseJson, DEFAULT_JSON_MAX_ARGS } from './json.ts';
export {
  parseMultipart,
  multipartVariables,
  isStrictError,
  MULTIPART_BUF_SIZE,
  type MultipartFlags,
  type MultipartOptions,
  type MultipartPart,
  type MultipartResult,
} from './multipart.ts';
export {
  parseXml,
  DEFAULT_XML_MAX_DEPTH,
  type XmlAttribute,
  type XmlDocument,
  type XmlElement,
  type XmlNode,
  type XmlOptions,
  type XmlText,
} from './xml.ts';
export { xpath, compileXpath, evaluateXpath, textContent, type XpathQuery } from './xpath.ts';
export type { ArgPair } from './types.ts';

export type BodyProcessorName = 'URLENCODED' | 'MULTIPART' | 'JSON' | 'XML';

/**
 * The processor ModSecurity v2 picks from the Content-Type alone (see above):
 * URLENCODED, MULTIPART or undefined. JSON and XML come only from ctl.
 */
export function bodyProcessorFor(contentType: string | undefined): BodyProcessorName | undefined {
  if (contentType === undefined) return undefined;
  const lower = contentType.slice(0, 33).toLowerCase();
  if (lower === 'application/x-www-form-urlencoded') return 'URLENCODED';
  if (lower.startsWith('multipart/form-data')) return 'MULTIPART';
  return undefined;
}
