/**
 * ModSecurity's phrase syntax for @pm and @pmFromFile (parse_pm_content):
 * `|41 42|` writes bytes in hex between pipes, and `\` escapes `:`, `;`, `\`
 * and `"`. Leading whitespace is dropped and, when the text starts and ends
 * with `"`, the quotes are removed. Quirks kept from v2: non-hex bytes between
 * pipes are dropped; when nothing was converted (pipes without a hex pair),
 * v2 returns its half-rewritten buffer, so `a|x|b` becomes `abx|b`; and any
 * other escape makes the whole text count as literal (v2 falls back to the raw text).
 */
import { isHex, isSpace } from '../transformations/bytes.ts';

export function parsePmContent(raw: string): string {
  let offset = 0;
  while (offset < raw.length && isSpace(raw.charCodeAt(offset))) offset++;
  let text = raw.slice(offset);
  if (text.length > 0 && text[0] === '"' && text[text.length - 1] === '"') text = text.slice(1, -1);
  if (text.length === 0) return raw; // v2: "Content length is 0", so the raw text is used
  // Most phrases (every line of most data files) have neither pipes nor escapes: nothing to rewrite.
  if (text.indexOf('|') === -1 && text.indexOf('\\') === -1) return text;
  let out = '';
  let converted = false;
  let bin = false;
  let esc = false;
  let pending = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '|') {
      bin = !bin;
    } else if (!esc && ch === '\\') {
      esc = true;
    } else if (bin) {
      if (isHex(ch.charCodeAt(0))) {
        pending += ch;
        if (pending.length === 2) {
          out += String.fromCharCode(Number.parseInt(pending, 16));
          pending = '';
          converted = true;
        }
      }
    } else if (esc) {
      if (ch !== ':' && ch !== ';' && ch !== '\\' && ch !== '"') return raw;
      out += ch;
      esc = false;
      converted = true;
    } else {
      out += ch;
    }
  }
  // v2 rewrites its buffer in place and, when nothing was converted, returns the
  // whole buffer: the bytes it kept, then the original tail past them.
  return converted ? out : out + text.slice(out.length);
}
