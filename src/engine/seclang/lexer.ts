/**
 * SecLang lexer: configuration text → directives with their arguments and line.
 *
 * Follows Apache's config reader, which ModSecurity v2 relies on:
 * - a physical line ending in `\` (after trailing whitespace) continues on the next
 *   one; the backslash is removed and the next line is appended as is;
 * - a logical line whose first non-blank character is `#` is a comment;
 * - arguments are separated by whitespace; `"..."` or `'...'` quote an argument, and
 *   inside it `\"` (the quote) and `\\` stand for the character (`ap_getword_conf`);
 *   other backslashes are kept, so regexes reach the operator untouched.
 * Errors (an unterminated quote) are reported with file:line and the line is skipped.
 */
import { RuleError } from '../errors.ts';

export interface Directive {
  /** Directive name as written (matching is case-insensitive). */
  readonly name: string;
  readonly args: readonly string[];
  readonly file: string;
  /** Line of the directive's first physical line (1-based). */
  readonly line: number;
}

export function lex(text: string, file: string, errors: RuleError[]): Directive[] {
  const out: Directive[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const startLine = i + 1;
    let logical = '';
    for (;;) {
      let physical = lines[i] ?? '';
      i++;
      physical = physical.replace(/[ \t\r\f\v]+$/, '');
      if (physical.endsWith('\\') && i < lines.length) {
        logical += physical.slice(0, -1);
        continue;
      }
      logical += physical.endsWith('\\') ? physical.slice(0, -1) : physical;
      break;
    }
    const trimmed = logical.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    try {
      const words = splitWords(trimmed, file, startLine);
      const [name, ...args] = words;
      if (name !== undefined) out.push({ name, args, file, line: startLine });
    } catch (e) {
      if (e instanceof RuleError) errors.push(e);
      else throw e;
    }
  }
  return out;
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f' || c === '\v';
}

function splitWords(text: string, file: string, line: number): string[] {
  const words: string[] = [];
  let p = 0;
  const n = text.length;
  while (p < n) {
    while (p < n && isSpace(text[p] ?? '')) p++;
    if (p >= n) break;
    const quote = text[p];
    let word = '';
    if (quote === '"' || quote === "'") {
      p++;
      let closed = false;
      while (p < n) {
        const ch = text[p];
        if (ch === '\\' && (text[p + 1] === quote || text[p + 1] === '\\')) {
          word += text[p + 1];
          p += 2;
          continue;
        }
        if (ch === quote) {
          closed = true;
          p++;
          break;
        }
        word += ch;
        p++;
      }
      if (!closed) throw new RuleError(`missing closing ${quote} quote`, file, line);
    } else {
      while (p < n && !isSpace(text[p] ?? '')) {
        const ch = text[p];
        if (ch === '\\' && text[p + 1] === '\\') {
          word += '\\';
          p += 2;
          continue;
        }
        word += ch;
        p++;
      }
    }
    words.push(word);
  }
  return words;
}
