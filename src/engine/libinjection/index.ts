/**
 * libinjection-compatible SQL injection and XSS detection in TypeScript,
 * usable on its own (no other picket module is imported). Inputs are byte
 * strings: one char per byte, as made by `Buffer.toString('latin1')`.
 *
 * @example
 *   detectSqli("1' OR '1'='1") // { isSqli: true, fingerprint: 's&sos' }
 *   detectXss('<script>alert(1)</script>') // true
 */
export { detectSqli, fingerprintPass, notWhitelisted, sqliWork } from './sqli.ts';
export type { SqliResult } from './sqli.ts';
export { fold, isUnaryOp } from './sqli-fold.ts';
export { SqliState, tokenize } from './sqli-tokenizer.ts';
export { SqliToken } from './sqli-token.ts';
export { detectXss, isXssInContext, xssWork } from './xss.ts';
export { H5State, H5_TYPE_NAMES } from './html5.ts';
export * as sqliTypes from './sqli-types.ts';
