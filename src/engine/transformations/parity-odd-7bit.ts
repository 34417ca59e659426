/**
 * t:parityOdd7bit
 *
 * Description: Sets the high bit of each byte so that the byte has odd parity
 * over its 7 data bits (ModSecurity v2).
 * Arguments: none.
 * Example: SecRule ARGS "@rx ^[\x00-\xff]*$" "id:1,phase:2,t:none,t:parityOdd7bit,pass"
 */
import type { Transformation } from './types.ts';
import { mapBytes, oddParity } from './parity-zero-7bit.ts';

export const parityOdd7bit: Transformation = (input) =>
  mapBytes(input, (b) => (oddParity(b) ? b & 0x7f : b | 0x80));
