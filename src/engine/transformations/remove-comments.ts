/**
 * t:removeComments
 *
 * Description: Removes C comments (`/* ... *\/`) and HTML comments (`<!-- ... -->`),
 * and cuts the value at `--` or `#` outside a comment (SQL line comments), as
 * ModSecurity v2. An unterminated comment becomes one space. Kept v2 quirks:
 * the byte right after a closing `*\/` or `-->` is copied without being examined,
 * and when the value ends with the closing marker, that byte is the C string's
 * terminating NUL, so the output ends with 0x00.
 * Arguments: none.
 * Example: SecRule ARGS "@rx union select" "id:1,phase:2,t:none,t:removeComments,deny"
 */
import type { Transformation } from './types.ts';

const MARKER = /\/\*|<!--|--|#/;

export const removeComments: Transformation = (input) => {
  if (!MARKER.test(input)) return input;
  const n = input.length;
  let out = '';
  let i = 0;
  let inComment = false;
  while (i < n) {
    const c = input[i];
    const next = input[i + 1];
    if (!inComment) {
      if (c === '/' && next === '*') {
        inComment = true;
        i += 2;
      } else if (c === '<' && next === '!' && input[i + 2] === '-' && input[i + 3] === '-') {
        inComment = true;
        i += 4;
      } else if ((c === '-' && next === '-') || c === '#') {
        break;
      } else {
        out += c;
        i++;
      }
    } else if (c === '*' && next === '/') {
      inComment = false;
      i += 2;
      out += i < n ? input[i] : '\0';
      i++;
    } else if (c === '-' && next === '-' && input[i + 2] === '>') {
      inComment = false;
      i += 3;
      out += i < n ? input[i] : '\0';
      i++;
    } else {
      i++;
    }
  }
  if (inComment) out += ' ';
  return out;
};
