/**
 * t:replaceNulls
 *
 * Description: Replaces each NUL (0x00) byte with a space.
 * Arguments: none.
 * Example: SecRule ARGS "@rx select \*" "id:1,phase:2,t:none,t:replaceNulls,deny"
 */
import type { Transformation } from './types.ts';

export const replaceNulls: Transformation = (input) => (input.includes('\0') ? input.replaceAll('\0', ' ') : input);
