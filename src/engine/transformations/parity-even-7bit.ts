/**
 * t:parityEven7bit
 *
 * Description: Sets the high bit of each byte so that the byte has even parity
 * over its 7 data bits (ModSecurity v2).
 * Arguments: none.
 * Example: SecRule ARGS "@rx ^[\x00-\xff]*$" "id:1,phase:2,t:none,t:parityEven7bit,pass"
 */
import type { Transformation } from './types.ts';
import { mapBytes, oddParity } from './parity-zero-7bit.ts';

export const parityEven7bit: Transformation = (input) =>
  mapBytes(input, (b) => (oddParity(b) ? b | 0x80 : b & 0x7f));
