/**
 * t:urlEncode
 *
 * Description: URL-encodes the value as ModSecurity v2: letters, digits and `*`
 * are kept, a space becomes `+`, and every other byte becomes `%hh` (lowercase).
 * Arguments: none.
 * Example: SecRule ARGS "@contains %3cscript" "id:1,phase:2,t:none,t:urlEncode,t:lowercase,deny"
 */
import type { Transformation } from './types.ts';
import { isAlnum } from './bytes.ts';

const ENCODED: readonly string[] = Array.from({ length: 256 }, (_, c) => {
  if (c === 0x20) return '+';
  if (c === 0x2a || isAlnum(c)) return String.fromCharCode(c);
  return `%${c.toString(16).padStart(2, '0')}`;
});
const PLAIN = /^[*0-9A-Za-z]*$/;

export const urlEncode: Transformation = (input) => {
  if (PLAIN.test(input)) return input;
  let out = '';
  for (let i = 0; i < input.length; i++) out += ENCODED[input.charCodeAt(i)];
  return out;
};
