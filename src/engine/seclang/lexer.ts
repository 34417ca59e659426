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
      const physical = lines[i] ?? '';
      i++;
      let end = physical.length;
      while (end > 0 && isBlank(physical.charCodeAt(end - 1))) end--;
      if (end > 0 && physical.charCodeAt(end - 1) === BACKSLASH) {
        logical += physical.slice(0, end - 1);
        if (i < lines.length) continue;
      } else {
        logical += end === physical.length ? physical : physical.slice(0, end);
      }
      break;
    }
    let first = 0;
    while (first < logical.length && isLeadingSpace(logical.charCodeAt(first))) first++;
    if (first === logical.length || logical.charCodeAt(first) === HASH) continue;
    try {
      const words = splitWords(logical, first, file, startLine);
      const [name, ...args] = words;
      if (name !== undefined) out.push({ name, args, file, line: startLine });
    } catch (e) {
      if (e instanceof RuleError) errors.push(e);
      else throw e;
    }
  }
  return out;
}

const BACKSLASH = 0x5c;
const HASH = 0x23;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/** Whitespace stripped from the end of a physical line (not \n, which split the lines). */
function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0c || c === 0x0b;
}

/** What String.prototype.trimStart removed before a directive (C spaces, NBSP, Unicode spaces). */
function isLeadingSpace(c: number): boolean {
  return isSpace(c) || c === 0xa0 || (c > 0xff && /\s/.test(String.fromCharCode(c)));
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** Words of a logical line from `p` on; text between escapes is copied in slices, not by character. */
function splitWords(text: string, p: number, file: string, line: number): string[] {
  const words: string[] = [];
  const n = text.length;
  while (p < n) {
    while (p < n && isSpace(text.charCodeAt(p))) p++;
    if (p >= n) break;
    const quote = text.charCodeAt(p);
    let word = '';
    if (quote === DQUOTE || quote === SQUOTE) {
      p++;
      let from = p;
      let closed = false;
      while (p < n) {
        const c = text.charCodeAt(p);
        if (c === BACKSLASH) {
          const next = text.charCodeAt(p + 1);
          if (next === quote || next === BACKSLASH) {
            word += text.slice(from, p);
            from = p + 1; // keep the escaped character, drop the backslash
            p += 2;
            continue;
          }
        } else if (c === quote) {
          word += text.slice(from, p);
          p++;
          closed = true;
          break;
        }
        p++;
      }
      if (!closed) throw new RuleError(`missing closing ${String.fromCharCode(quote)} quote`, file, line);
    } else {
      let from = p;
      while (p < n) {
        const c = text.charCodeAt(p);
        if (isSpace(c)) break;
        if (c === BACKSLASH && text.charCodeAt(p + 1) === BACKSLASH) {
          word += text.slice(from, p + 1);
          p += 2;
          from = p;
          continue;
        }
        p++;
      }
      word += text.slice(from, p);
    }
    words.push(word);
  }
  return words;
}
