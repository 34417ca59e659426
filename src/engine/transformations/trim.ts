/**
 * t:trim
 *
 * Description: Removes leading and trailing whitespace (C isspace: space, \t,
 * \n, \v, \f, \r; not 0xA0).
 * Arguments: none.
 * Example: SecRule ARGS:id "@rx ^\d+$" "id:1,phase:2,t:none,t:trim,pass"
 */
import type { Transformation } from './types.ts';
import { trimLeft } from './trim-left.ts';
import { trimRight } from './trim-right.ts';

export const trim: Transformation = (input) => trimRight(trimLeft(input));
