/**
 * The SQL tokenizer of libinjection, over byte strings (one char per byte).
 *
 * Each byte's class (charmap of sqlparse_data.json) picks a parser; a parser
 * fills `state.cur` and returns the position after what it consumed. The
 * rules, down to their quirks, are the C library's (libinjection_sqli.c):
 * NUL counts as white space and as part of binary/hex/money digit runs, bytes
 * above 0x7f are signed in comparisons, values are capped at 31 bytes.
 * Only the scanning differs: nothing is rescanned, so the work is linear.
 */
import { CHARMAP } from './sqli-data.ts';
import { lookupWord } from './sqli-keywords.ts';
import { SqliToken } from './sqli-token.ts';

// Local copies of sqli-types.ts constants: V8 does not constant-fold imported
// bindings (each use loads a module cell and checks it for TDZ), which made this
// hot code ~20% slower. test/libinjection/tables.test.ts checks they match.
const C_BACK = 6;
const C_BANG = 5;
const C_BSTRING = 26;
const C_BWORD = 28;
const C_COMMA = 13;
const C_DASH = 7;
const C_ESTRING = 27;
const C_HASH = 9;
const C_LEFTBRACE = 16;
const C_LEFTPARENS = 14;
const C_MONEY = 20;
const C_NQSTRING = 24;
const C_NUM = 10;
const C_OP1 = 2;
const C_OP2 = 4;
const C_OTHER = 19;
const C_QSTRING = 23;
const C_RIGHTBRACE = 17;
const C_RIGHTPARENS = 15;
const C_SEMICOLON = 12;
const C_SLASH = 11;
const C_STR = 8;
const C_TICK = 21;
const C_UNARY = 3;
const C_USTRING = 22;
const C_VAR = 18;
const C_WHITE = 0;
const C_WORD = 1;
const C_XSTRING = 25;
const FLAG_QUOTE_DOUBLE = 4;
const FLAG_QUOTE_NONE = 1;
const FLAG_QUOTE_SINGLE = 2;
const FLAG_SQL_ANSI = 8;
const FLAG_SQL_MYSQL = 16;
const T_BACKSLASH = 0x5c; // \
const T_BAREWORD = 0x6e; // n
const T_COLON = 0x3a; // :
const T_COMMENT = 0x63; // c
const T_DOT = 0x2e; // .
const T_EVIL = 0x58; // X
const T_FUNCTION = 0x66; // f
const T_NUMBER = 0x31; // 1
const T_OPERATOR = 0x6f; // o
const T_STRING = 0x73; // s
const T_UNKNOWN = 0x3f; // ?
const T_VARIABLE = 0x76; // v

const SINGLE = 0x27; // '
const DOUBLE = 0x22; // "
const TICK = 0x60; // `
const BACKSLASH = 0x5c;
const DOLLAR = 0x24;

// Byte sets, as bits of one table.
const IN_BIN = 1; // "01" (and NUL: strspn-alike in C accepts the terminator)
const IN_HEX = 2; // hex digits (and NUL)
const IN_MONEY = 4; // digits . , (and NUL)
const IN_ALPHA = 8; // a-z A-Z (and NUL)
const END_WORD = 16; // bytes that end a bare word
const END_VAR = 32; // bytes that end a variable name
const WHITE = 64; // SQL white space, incl. NUL and 0xA0

const SETS = new Uint8Array(256);
function mark(chars: string, bit: number): void {
  for (let i = 0; i < chars.length; i++) SETS[chars.charCodeAt(i)]! |= bit;
}
mark('01\0', IN_BIN);
mark('0123456789ABCDEFabcdef\0', IN_HEX);
mark('0123456789.,\0', IN_MONEY);
mark('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\0', IN_ALPHA);
mark(' []{}<>:\\?=@!#~+-*/&|^%(),\';\t\n\v\f\r"\xa0\0', END_WORD);
mark(' <>:\\?=@!#~+-*/&|^%(),\';\t\n\v\f\r\'`"\0', END_VAR);
mark(' \t\n\v\f\r\xa0\0', WHITE);

function isWhite(c: number): boolean {
  return c < 256 && ((SETS[c] as number) & WHITE) !== 0;
}

/** The tokenizer's state: the input, the flags of the current pass, up to 8 tokens and statistics. */
export class SqliState {
  s = '';
  slen = 0;
  flags = FLAG_QUOTE_NONE | FLAG_SQL_ANSI;
  pos = 0;
  readonly tokens: SqliToken[] = Array.from({ length: 8 }, () => new SqliToken());
  cur: SqliToken = this.tokens[0] as SqliToken;
  /** Fingerprint of the last pass (token types) and its length. */
  readonly fp = new Uint8Array(8);
  fpLen = 0;
  /** `--x` comments seen in ANSI mode, `#` seen: reasons to retry as MySQL. */
  statsCommentDdx = 0;
  statsCommentHash = 0;
  statsFolds = 0;
  statsTokens = 0;
  /** Work counter (bytes examined, parser calls, fold steps) for linear-time tests. */
  work = 0;

  /** Drops every reference to the input (so a large input is not kept alive). */
  release(): void {
    this.s = '';
    this.slen = 0;
    for (const t of this.tokens) t.src = '';
  }

  /** Starts over on `s` with `flags` (0 means no quote, ANSI). */
  init(s: string, flags: number): void {
    this.s = s;
    this.slen = s.length;
    this.reset(flags);
  }

  /** Starts over on the same input with other flags. */
  reset(flags: number): void {
    this.flags = flags === 0 ? FLAG_QUOTE_NONE | FLAG_SQL_ANSI : flags;
    this.pos = 0;
    // Tokens need no clearing: folding only reads slots it filled in this pass.
    this.cur = this.tokens[0] as SqliToken;
    this.fpLen = 0;
    this.statsCommentDdx = 0;
    this.statsCommentHash = 0;
    this.statsFolds = 0;
    this.statsTokens = 0;
  }
}

/** Index of the first `c0 c1` pair starting in [from, end-1), or -1. */
function findPair(s: string, from: number, end: number, c0: number, c1: number): number {
  for (let i = from; i + 1 < end; i++) {
    if (s.charCodeAt(i) === c0 && s.charCodeAt(i + 1) === c1) return i;
  }
  return -1;
}

/** Length of the run of bytes in set `bit` starting at `from`. */
function span(st: SqliState, from: number, bit: number): number {
  const s = st.s;
  const end = st.slen;
  let i = from;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c > 255 || ((SETS[c] as number) & bit) === 0) break;
    i++;
  }
  st.work += i - from;
  return i - from;
}

function parseOperator1(st: SqliState): number {
  st.cur.assign(T_OPERATOR, st.pos, 1, st.s);
  return st.pos + 1;
}

function parseOther(st: SqliState): number {
  st.cur.assign(T_UNKNOWN, st.pos, 1, st.s);
  return st.pos + 1;
}

/** `( ) { } , ;`: the byte is its own type. */
function parseChar(st: SqliState): number {
  st.cur.assign(st.s.charCodeAt(st.pos), st.pos, 1, st.s);
  return st.pos + 1;
}

function parseEolComment(st: SqliState): number {
  const pos = st.pos;
  const nl = st.s.indexOf('\n', pos);
  const end = nl < 0 ? st.slen : nl;
  st.work += end - pos;
  st.cur.assign(T_COMMENT, pos, end - pos, st.s);
  return nl < 0 ? st.slen : nl + 1;
}

/** `#`: an operator in ANSI mode, an end-of-line comment in MySQL mode. */
function parseHash(st: SqliState): number {
  st.statsCommentHash += 1;
  if (st.flags & FLAG_SQL_MYSQL) {
    st.statsCommentHash += 1;
    return parseEolComment(st);
  }
  st.cur.assign(T_OPERATOR, st.pos, 1, st.s);
  return st.pos + 1;
}

/** `--` followed by white space or the end is a comment everywhere; `--x` only in ANSI SQL. */
function parseDash(st: SqliState): number {
  const s = st.s;
  const slen = st.slen;
  const pos = st.pos;
  const next = pos + 1 < slen ? s.charCodeAt(pos + 1) : -1;
  if (next === 0x2d) {
    if (pos + 2 < slen && isWhite(s.charCodeAt(pos + 2))) return parseEolComment(st);
    if (pos + 2 === slen) return parseEolComment(st);
    if (st.flags & FLAG_SQL_ANSI) {
      st.statsCommentDdx += 1;
      return parseEolComment(st);
    }
  }
  st.cur.assign(T_OPERATOR, pos, 1, s);
  return pos + 1;
}

/** `/` or a C comment; a comment holding `/*` (nested) or opened by `/*!` (MySQL) is evil. */
function parseSlash(st: SqliState): number {
  const s = st.s;
  const slen = st.slen;
  const pos = st.pos;
  if (pos + 1 === slen || s.charCodeAt(pos + 1) !== 0x2a) return parseOperator1(st);
  const close = findPair(s, pos + 2, slen, 0x2a, 0x2f);
  const clen = close < 0 ? slen - pos : close + 2 - pos;
  st.work += clen;
  let type = T_COMMENT;
  if (close >= 0 && findPair(s, pos + 2, close + 1, 0x2f, 0x2a) >= 0) {
    type = T_EVIL;
  } else if (pos + 2 < slen && s.charCodeAt(pos + 2) === 0x21) {
    type = T_EVIL;
  }
  st.cur.assign(type, pos, clen, s);
  return pos + clen;
}

/** `\N` is MySQL's NULL; any other backslash is its own token type. */
function parseBackslash(st: SqliState): number {
  const pos = st.pos;
  if (pos + 1 < st.slen && st.s.charCodeAt(pos + 1) === 0x4e) {
    st.cur.assign(T_NUMBER, pos, 2, st.s);
    return pos + 2;
  }
  st.cur.assign(T_BACKSLASH, pos, 1, st.s);
  return pos + 1;
}

/** Two-byte operators from the keyword table, `<=>`, else one byte (`:` alone is a colon). */
function parseOperator2(st: SqliState): number {
  const s = st.s;
  const slen = st.slen;
  const pos = st.pos;
  if (pos + 1 >= slen) return parseOperator1(st);
  if (
    pos + 2 < slen &&
    s.charCodeAt(pos) === 0x3c &&
    s.charCodeAt(pos + 1) === 0x3d &&
    s.charCodeAt(pos + 2) === 0x3e
  ) {
    st.cur.assign(T_OPERATOR, pos, 3, s);
    return pos + 3;
  }
  const type = lookupWord(s, pos, 2);
  if (type !== 0) {
    st.cur.assign(type, pos, 2, s);
    return pos + 2;
  }
  if (s.charCodeAt(pos) === 0x3a) {
    st.cur.assign(T_COLON, pos, 1, s);
    return pos + 1;
  }
  return parseOperator1(st);
}

/** True when the quote at `q` follows an odd run of backslashes that starts at or after `start`. */
function isBackslashEscaped(s: string, q: number, start: number): boolean {
  let i = q - 1;
  while (i >= start && s.charCodeAt(i) === BACKSLASH) i--;
  return ((q - 1 - i) & 1) === 1;
}

/**
 * A string closed by `delim` starting at `pos + offset` (offset 0: the
 * opening quote is only assumed, as in the quote contexts). A delimiter
 * preceded by an odd number of backslashes, or doubled, does not close.
 */
export function parseStringCore(st: SqliState, pos: number, delim: number, offset: number): number {
  const s = st.s;
  const slen = st.slen;
  const tok = st.cur;
  const start = pos + offset;
  tok.strOpen = offset > 0 ? delim : 0;
  const delimText = delim === SINGLE ? "'" : delim === DOUBLE ? '"' : '`';
  let q = start;
  for (;;) {
    q = s.indexOf(delimText, q);
    if (q < 0) {
      st.work += slen - start;
      tok.assign(T_STRING, start, slen - start, s);
      tok.strClose = 0;
      return slen;
    }
    if (isBackslashEscaped(s, q, start)) {
      q += 1;
    } else if (q + 1 < slen && s.charCodeAt(q + 1) === delim) {
      q += 2;
    } else {
      st.work += q + 1 - start;
      tok.assign(T_STRING, start, q - start, s);
      tok.strClose = delim;
      return q + 1;
    }
  }
}

function parseString(st: SqliState): number {
  return parseStringCore(st, st.pos, st.s.charCodeAt(st.pos), 1);
}

/** `E'...'` (PostgreSQL escaped string), `N'...'` (national charset); otherwise a word. */
function parseEstring(st: SqliState): number {
  const pos = st.pos;
  if (pos + 2 >= st.slen || st.s.charCodeAt(pos + 1) !== SINGLE) return parseWord(st);
  return parseStringCore(st, pos, SINGLE, 2);
}

/** `U&'...'` (unicode string); otherwise a word. */
function parseUstring(st: SqliState): number {
  const s = st.s;
  const pos = st.pos;
  if (pos + 2 < st.slen && s.charCodeAt(pos + 1) === 0x26 && s.charCodeAt(pos + 2) === SINGLE) {
    st.pos += 2;
    const end = parseString(st);
    st.cur.strOpen = 0x75; // u
    if (st.cur.strClose === SINGLE) st.cur.strClose = 0x75;
    return end;
  }
  return parseWord(st);
}

/** Oracle `q'Xtext X'` strings (`[`, `(`, `{`, `<` close with their pair); otherwise a word. */
function parseQstringCore(st: SqliState, offset: number): number {
  const s = st.s;
  const slen = st.slen;
  const pos = st.pos + offset;
  if (pos >= slen) return parseWord(st);
  const q = s.charCodeAt(pos);
  if ((q !== 0x71 && q !== 0x51) || pos + 2 >= slen || s.charCodeAt(pos + 1) !== SINGLE) {
    return parseWord(st);
  }
  let ch = s.charCodeAt(pos + 2);
  // A signed char in C: bytes above 0x7f are "< 33" too.
  if (ch < 33 || ch > 127) return parseWord(st);
  if (ch === 0x28) ch = 0x29;
  else if (ch === 0x5b) ch = 0x5d;
  else if (ch === 0x7b) ch = 0x7d;
  else if (ch === 0x3c) ch = 0x3e;
  const end = findPair(s, pos + 3, slen, ch, SINGLE);
  const tok = st.cur;
  if (end < 0) {
    st.work += slen - pos;
    tok.assign(T_STRING, pos + 3, slen - pos - 3, s);
    tok.strOpen = 0x71;
    tok.strClose = 0;
    return slen;
  }
  st.work += end + 2 - pos;
  tok.assign(T_STRING, pos + 3, end - pos - 3, s);
  tok.strOpen = 0x71;
  tok.strClose = 0x71;
  return end + 2;
}

function parseQstring(st: SqliState): number {
  return parseQstringCore(st, 0);
}

/** `N'...'` or Oracle `nq'...'`. */
function parseNqstring(st: SqliState): number {
  const pos = st.pos;
  if (pos + 2 < st.slen && st.s.charCodeAt(pos + 1) === SINGLE) return parseEstring(st);
  return parseQstringCore(st, 1);
}

/** `b'0101'` / `x'CAFE'` literals are numbers; otherwise a word. */
function parseDigitString(st: SqliState, set: number): number {
  const s = st.s;
  const slen = st.slen;
  const pos = st.pos;
  if (pos + 2 >= slen || s.charCodeAt(pos + 1) !== SINGLE) return parseWord(st);
  const wlen = span(st, pos + 2, set);
  if (pos + 2 + wlen >= slen || s.charCodeAt(pos + 2 + wlen) !== SINGLE) return parseWord(st);
  st.cur.assign(T_NUMBER, pos, wlen + 3, s);
  return pos + wlen + 3;
}

function parseBstring(st: SqliState): number {
  return parseDigitString(st, IN_BIN);
}

function parseXstring(st: SqliState): number {
  return parseDigitString(st, IN_HEX);
}

/** SQL Server `[bracketed words]`. */
function parseBword(st: SqliState): number {
  const pos = st.pos;
  const close = st.s.indexOf(']', pos);
  const end = close < 0 ? st.slen : close + 1;
  st.work += end - pos;
  st.cur.assign(T_BAREWORD, pos, end - pos, st.s);
  return end;
}

/**
 * A bare word, looked up in the keyword table. A `.` or a backquote inside it
 * splits it when what precedes is a keyword (`SELECT.1`, ``SELECT`col` ``).
 * The C library scans the whole word each time; only 32 bytes decide the
 * token, so we scan past them only when consuming the whole word.
 */
function parseWord(st: SqliState): number {
  const s = st.s;
  const slen = st.slen;
  const pos = st.pos;
  const limit = pos + 32 < slen ? pos + 32 : slen;
  let end = pos;
  let split = -1; // first '.' or '`' (they may split the word after a keyword)
  while (end < limit) {
    const c = s.charCodeAt(end);
    if (c < 256 && ((SETS[c] as number) & END_WORD) !== 0) break;
    if ((c === 0x2e || c === TICK) && split < 0) split = end;
    end++;
  }
  st.work += end - pos;
  const tok = st.cur;
  tok.assign(T_BAREWORD, pos, end - pos, s);
  if (split >= 0) {
    for (let i = split - pos; i < tok.len; i++) {
      const c = s.charCodeAt(pos + i);
      if (c === 0x2e || c === TICK) {
        const type = lookupWord(s, pos, i);
        if (type !== 0 && type !== T_BAREWORD) {
          tok.clear();
          tok.assign(type, pos, i, s);
          return pos + i;
        }
      }
    }
  }
  const wlen = end - pos;
  if (wlen < 32) {
    const type = lookupWord(s, pos, wlen);
    tok.type = type === 0 ? T_BAREWORD : type;
    return end;
  }
  const from = end;
  while (end < slen) {
    const c = s.charCodeAt(end);
    if (c < 256 && ((SETS[c] as number) & END_WORD) !== 0) break;
    end++;
  }
  st.work += end - from;
  return end;
}

/** MySQL backquoted names: a function if the name is one, else a bare word. */
function parseTick(st: SqliState): number {
  const end = parseStringCore(st, st.pos, TICK, 1);
  const tok = st.cur;
  tok.type = lookupWord(tok.src, tok.off, tok.len) === T_FUNCTION ? T_FUNCTION : T_BAREWORD;
  return end;
}

/** `@var`, `@@var`, ``@@`var` ``, `@'var'`. */
function parseVar(st: SqliState): number {
  const s = st.s;
  const slen = st.slen;
  let pos = st.pos + 1;
  const tok = st.cur;
  if (pos < slen && s.charCodeAt(pos) === 0x40) {
    pos += 1;
    tok.count = 2;
  } else {
    tok.count = 1;
  }
  if (pos < slen) {
    const c = s.charCodeAt(pos);
    if (c === TICK) {
      st.pos = pos;
      const end = parseTick(st);
      tok.type = T_VARIABLE;
      return end;
    }
    if (c === SINGLE || c === DOUBLE) {
      st.pos = pos;
      const end = parseString(st);
      tok.type = T_VARIABLE;
      return end;
    }
  }
  let end = pos;
  while (end < slen) {
    const c = s.charCodeAt(end);
    if (c < 256 && ((SETS[c] as number) & END_VAR) !== 0) break;
    end++;
  }
  st.work += end - pos;
  tok.assign(T_VARIABLE, pos, end - pos, s);
  return end;
}

/** `$1,000.00` (a number), PostgreSQL `$$text$$` and `$tag$text$tag$` strings, or a lone `$`. */
function parseMoney(st: SqliState): number {
  const s = st.s;
  const slen = st.slen;
  const pos = st.pos;
  const tok = st.cur;
  if (pos + 1 === slen) {
    tok.assign(T_BAREWORD, pos, 1, s);
    return slen;
  }
  let xlen = span(st, pos + 1, IN_MONEY);
  if (xlen === 0) {
    if (s.charCodeAt(pos + 1) === DOLLAR) {
      const end = findPair(s, pos + 2, slen, DOLLAR, DOLLAR);
      tok.strOpen = DOLLAR;
      if (end < 0) {
        st.work += slen - pos;
        tok.assign(T_STRING, pos + 2, slen - pos - 2, s);
        tok.strClose = 0;
        return slen;
      }
      st.work += end + 2 - pos;
      tok.assign(T_STRING, pos + 2, end - pos - 2, s);
      tok.strClose = DOLLAR;
      return end + 2;
    }
    xlen = span(st, pos + 1, IN_ALPHA);
    if (xlen === 0 || pos + xlen + 1 === slen || s.charCodeAt(pos + xlen + 1) !== DOLLAR) {
      tok.assign(T_BAREWORD, pos, 1, s);
      return pos + 1;
    }
    // $tag$ ... $tag$
    const tag = s.slice(pos, pos + xlen + 2);
    const from = pos + xlen + 2;
    const end = s.indexOf(tag, from);
    tok.strOpen = DOLLAR;
    if (end < 0) {
      st.work += slen - pos;
      tok.assign(T_STRING, from, slen - from, s);
      tok.strClose = 0;
      return slen;
    }
    st.work += end + xlen + 2 - pos;
    tok.assign(T_STRING, from, end - from, s);
    tok.strClose = DOLLAR;
    return end + xlen + 2;
  }
  if (xlen === 1 && s.charCodeAt(pos + 1) === 0x2e) return parseWord(st);
  tok.assign(T_NUMBER, pos, 1 + xlen, s);
  return pos + 1 + xlen;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Numbers: `0x..`, `0b..`, decimals, exponents, Oracle `d`/`f` suffixes; a lone `.` is a dot. */
function parseNumber(st: SqliState): number {
  const s = st.s;
  const slen = st.slen;
  const start = st.pos;
  const tok = st.cur;
  let pos = start;
  if (s.charCodeAt(pos) === 0x30 && pos + 1 < slen) {
    const c1 = s.charCodeAt(pos + 1);
    const set = c1 === 0x58 || c1 === 0x78 ? IN_HEX : c1 === 0x42 || c1 === 0x62 ? IN_BIN : 0;
    if (set !== 0) {
      const xlen = span(st, pos + 2, set);
      tok.assign(xlen === 0 ? T_BAREWORD : T_NUMBER, pos, 2 + xlen, s);
      return pos + 2 + xlen;
    }
  }
  while (pos < slen && isDigit(s.charCodeAt(pos))) pos++;
  if (pos < slen && s.charCodeAt(pos) === 0x2e) {
    pos++;
    while (pos < slen && isDigit(s.charCodeAt(pos))) pos++;
    if (pos - start === 1) {
      tok.assign(T_DOT, start, 1, s);
      st.work += 1;
      return pos;
    }
  }
  let haveE = false;
  let haveExp = false;
  if (pos < slen) {
    const c = s.charCodeAt(pos);
    if (c === 0x45 || c === 0x65) {
      haveE = true;
      pos++;
      if (pos < slen) {
        const sign = s.charCodeAt(pos);
        if (sign === 0x2b || sign === 0x2d) pos++;
      }
      while (pos < slen && isDigit(s.charCodeAt(pos))) {
        haveExp = true;
        pos++;
      }
    }
  }
  if (pos < slen) {
    const c = s.charCodeAt(pos);
    if (c === 0x64 || c === 0x44 || c === 0x66 || c === 0x46) {
      if (pos + 1 === slen) {
        pos++;
      } else {
        const n = s.charCodeAt(pos + 1);
        // `1.2f ...`, `1.2f;` and `1fUNION` take the suffix; `123FROM` does not.
        if (isWhite(n) || n === 0x3b || n === 0x75 || n === 0x55) pos++;
      }
    }
  }
  st.work += pos - start;
  // `1234.e`, `10.10E`: an exponent marker without digits makes a word.
  tok.assign(haveE && !haveExp ? T_BAREWORD : T_NUMBER, start, pos - start, s);
  return pos;
}

/**
 * Reads the next token into `state.cur`. Returns false at the end of input.
 * In a quote context, the first token is the string the input is assumed to
 * close.
 */
export function tokenize(st: SqliState): boolean {
  const slen = st.slen;
  if (slen === 0) return false;
  const tok = st.cur;
  tok.clear();
  if (st.pos === 0 && (st.flags & (FLAG_QUOTE_SINGLE | FLAG_QUOTE_DOUBLE)) !== 0) {
    const delim = st.flags & FLAG_QUOTE_SINGLE ? SINGLE : DOUBLE;
    st.pos = parseStringCore(st, 0, delim, 0);
    st.statsTokens += 1;
    return true;
  }
  const s = st.s;
  while (st.pos < slen) {
    st.work += 1;
    const c = s.charCodeAt(st.pos);
    switch (c < 256 ? CHARMAP[c] : C_WORD) {
      case C_WHITE:
        st.pos += 1;
        continue;
      case C_WORD:
        st.pos = parseWord(st);
        break;
      case C_OP1:
      case C_UNARY:
        st.pos = parseOperator1(st);
        break;
      case C_OP2:
      case C_BANG:
        st.pos = parseOperator2(st);
        break;
      case C_BACK:
        st.pos = parseBackslash(st);
        break;
      case C_DASH:
        st.pos = parseDash(st);
        break;
      case C_STR:
        st.pos = parseString(st);
        break;
      case C_HASH:
        st.pos = parseHash(st);
        break;
      case C_NUM:
        st.pos = parseNumber(st);
        break;
      case C_SLASH:
        st.pos = parseSlash(st);
        break;
      case C_SEMICOLON:
      case C_COMMA:
      case C_LEFTPARENS:
      case C_RIGHTPARENS:
      case C_LEFTBRACE:
      case C_RIGHTBRACE:
        st.pos = parseChar(st);
        break;
      case C_VAR:
        st.pos = parseVar(st);
        break;
      case C_OTHER:
        st.pos = parseOther(st);
        break;
      case C_MONEY:
        st.pos = parseMoney(st);
        break;
      case C_TICK:
        st.pos = parseTick(st);
        break;
      case C_USTRING:
        st.pos = parseUstring(st);
        break;
      case C_QSTRING:
        st.pos = parseQstring(st);
        break;
      case C_NQSTRING:
        st.pos = parseNqstring(st);
        break;
      case C_XSTRING:
        st.pos = parseXstring(st);
        break;
      case C_BSTRING:
        st.pos = parseBstring(st);
        break;
      case C_ESTRING:
        st.pos = parseEstring(st);
        break;
      case C_BWORD:
        st.pos = parseBword(st);
        break;
      default:
        st.pos = parseWord(st);
    }
    if (tok.type !== 0) {
      st.statsTokens += 1;
      return true;
    }
  }
  return false;
}
