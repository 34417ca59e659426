/**
 * t:hexEncode
 *
 * Description: Encodes each byte as two lowercase hex digits.
 * Arguments: none.
 * Example: SecRule ARGS "@rx 3c736372697074" "id:1,phase:2,t:none,t:hexEncode,deny"
 */
import type { Transformation } from './types.ts';

export const hexEncode: Transformation = (input) => Buffer.from(input, 'latin1').toString('hex');
