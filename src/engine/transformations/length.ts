/**
 * t:length
 *
 * Description: Replaces the value with its length in bytes, in decimal.
 * Arguments: none.
 * Example: SecRule ARGS "@gt 1000" "id:1,phase:2,t:none,t:length,deny"
 */
import type { Transformation } from './types.ts';

export const length: Transformation = (input) => String(input.length);
