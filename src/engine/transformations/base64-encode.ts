/**
 * t:base64Encode
 *
 * Description: Encodes the value with standard Base64 (with `=` padding).
 * Arguments: none.
 * Example: SecRule ARGS:token "@streq YWRtaW4=" "id:1,phase:2,t:none,t:base64Encode,deny"
 */
import type { Transformation } from './types.ts';

export const base64Encode: Transformation = (input) => Buffer.from(input, 'latin1').toString('base64');
