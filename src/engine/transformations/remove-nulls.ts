/**
 * t:removeNulls
 *
 * Description: Removes all NUL (0x00) bytes.
 * Arguments: none.
 * Example: SecRule ARGS "@rx <script" "id:1,phase:2,t:none,t:removeNulls,deny"
 */
import type { Transformation } from './types.ts';

export const removeNulls: Transformation = (input) => (input.includes('\0') ? input.replaceAll('\0', '') : input);
