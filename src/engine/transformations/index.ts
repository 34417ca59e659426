/**
 * The transformation registry: every `t:name` picket implements, looked up
 * case-insensitively as ModSecurity does. `t:none` is not here: the rule parser
 * handles it (it clears the chain).
 */
import type { Transformation } from './types.ts';
import { base64Decode } from './base64-decode.ts';
import { base64DecodeExt } from './base64-decode-ext.ts';
import { base64Encode } from './base64-encode.ts';
import { cmdLine } from './cmd-line.ts';
import { compressWhitespace } from './compress-whitespace.ts';
import { cssDecode } from './css-decode.ts';
import { escapeSeqDecode } from './escape-seq-decode.ts';
import { hexDecode } from './hex-decode.ts';
import { hexEncode } from './hex-encode.ts';
import { htmlEntityDecode } from './html-entity-decode.ts';
import { jsDecode } from './js-decode.ts';
import { length } from './length.ts';
import { lowercase } from './lowercase.ts';
import { md5 } from './md5.ts';
import { normalizePath } from './normalize-path.ts';
import { normalizePathWin } from './normalize-path-win.ts';
import { parityEven7bit } from './parity-even-7bit.ts';
import { parityOdd7bit } from './parity-odd-7bit.ts';
import { parityZero7bit } from './parity-zero-7bit.ts';
import { removeComments } from './remove-comments.ts';
import { removeCommentsChar } from './remove-comments-char.ts';
import { removeNulls } from './remove-nulls.ts';
import { removeWhitespace } from './remove-whitespace.ts';
import { replaceComments } from './replace-comments.ts';
import { replaceNulls } from './replace-nulls.ts';
import { sha1 } from './sha1.ts';
import { sqlHexDecode } from './sql-hex-decode.ts';
import { trim } from './trim.ts';
import { trimLeft } from './trim-left.ts';
import { trimRight } from './trim-right.ts';
import { uppercase } from './uppercase.ts';
import { urlDecode } from './url-decode.ts';
import { urlDecodeUni } from './url-decode-uni.ts';
import { urlEncode } from './url-encode.ts';
import { utf8toUnicode } from './utf8-to-unicode.ts';

/** SecLang name → implementation, alphabetical. British spellings are ModSecurity aliases. */
export const transformations: Readonly<Record<string, Transformation>> = {
  base64Decode,
  base64DecodeExt,
  base64Encode,
  cmdLine,
  compressWhitespace,
  cssDecode,
  escapeSeqDecode,
  hexDecode,
  hexEncode,
  htmlEntityDecode,
  jsDecode,
  length,
  lowercase,
  md5,
  normalisePath: normalizePath,
  normalisePathWin: normalizePathWin,
  normalizePath,
  normalizePathWin,
  parityEven7bit,
  parityOdd7bit,
  parityZero7bit,
  removeComments,
  removeCommentsChar,
  removeNulls,
  removeWhitespace,
  replaceComments,
  replaceNulls,
  sha1,
  sqlHexDecode,
  trim,
  trimLeft,
  trimRight,
  uppercase,
  urlDecode,
  urlDecodeUni,
  urlEncode,
  utf8toUnicode,
};

const byLowerName = new Map(Object.entries(transformations).map(([name, fn]) => [name.toLowerCase(), fn]));

/** The transformation called `name` (any case), or undefined when picket has none. */
export function getTransformation(name: string): Transformation | undefined {
  return byLowerName.get(name.toLowerCase());
}
