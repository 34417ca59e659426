/**
 * t:replaceComments
 *
 * Description: Replaces each C comment (`/* ... *\/`) with one space; an
 * unterminated comment is replaced by one space too. A lone `*\/` is kept.
 * Arguments: none.
 * Example: SecRule ARGS "@rx union select" "id:1,phase:2,t:none,t:replaceComments,deny"
 */
import type { Transformation } from './types.ts';

export const replaceComments: Transformation = (input) => {
  let open = input.indexOf('/*');
  if (open === -1) return input;
  let out = '';
  let from = 0;
  while (open !== -1) {
    out += input.slice(from, open) + ' ';
    const close = input.indexOf('*/', open + 2);
    if (close === -1) return out;
    from = close + 2;
    open = input.indexOf('/*', from);
  }
  return out + input.slice(from);
};
