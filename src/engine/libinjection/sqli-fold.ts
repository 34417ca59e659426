/**
 * Folding: reads tokens and collapses what does not change the shape of the
 * statement (`1+1` → `1`, `"a" "b"` → `"a"`, unary operators, `UNION ALL`,
 * `IN (`, ...), keeping up to five tokens: the fingerprint. The rules and
 * their order are libinjection's `libinjection_sqli_fold`.
 */
import { lookupPhrase } from './sqli-keywords.ts';
import type { SqliToken } from './sqli-token.ts';
import { SqliState, tokenize } from './sqli-tokenizer.ts';

// Local copies of sqli-types.ts constants: V8 does not constant-fold imported
// bindings (each use loads a module cell and checks it for TDZ), which made this
// hot code ~20% slower. test/libinjection/tables.test.ts checks they match.
const MAX_TOKENS = 5;
const T_BACKSLASH = 0x5c; // \
const T_BAREWORD = 0x6e; // n
const T_COLLATE = 0x41; // A
const T_COMMA = 0x2c; // ,
const T_COMMENT = 0x63; // c
const T_DOT = 0x2e; // .
const T_EVIL = 0x58; // X
const T_EXPRESSION = 0x45; // E
const T_FUNCTION = 0x66; // f
const T_GROUP = 0x42; // B
const T_KEYWORD = 0x6b; // k
const T_LEFTBRACE = 0x7b; // {
const T_LEFTPARENS = 0x28; // (
const T_LOGIC_OPERATOR = 0x26; // &
const T_NUMBER = 0x31; // 1
const T_OPERATOR = 0x6f; // o
const T_RIGHTBRACE = 0x7d; // }
const T_RIGHTPARENS = 0x29; // )
const T_SEMICOLON = 0x3b; // ;
const T_SQLTYPE = 0x74; // t
const T_STRING = 0x73; // s
const T_TSQL = 0x54; // T
const T_UNION = 0x55; // U
const T_VARIABLE = 0x76; // v

/** `+ - ! ~ !! NOT` */
export function isUnaryOp(t: SqliToken): boolean {
  if (t.type !== T_OPERATOR) return false;
  const c = t.at(0);
  switch (t.len) {
    case 1:
      return c === 0x2b || c === 0x2d || c === 0x21 || c === 0x7e;
    case 2:
      return c === 0x21 && t.at(1) === 0x21;
    case 3:
      return t.is('NOT');
    default:
      return false;
  }
}

/** `* / - + %` */
function isArithmeticOp(t: SqliToken): boolean {
  if (t.type !== T_OPERATOR || t.len !== 1) return false;
  const c = t.at(0);
  return c === 0x2a || c === 0x2f || c === 0x2d || c === 0x2b || c === 0x25;
}

function isWordish(type: number): boolean {
  return (
    type === T_KEYWORD ||
    type === T_BAREWORD ||
    type === T_OPERATOR ||
    type === T_UNION ||
    type === T_FUNCTION ||
    type === T_EXPRESSION ||
    type === T_TSQL ||
    type === T_SQLTYPE
  );
}

/** Merges two words that form a known phrase (`UNION` `ALL`) into `a`. */
function mergeWords(a: SqliToken, b: SqliToken): boolean {
  if (!isWordish(a.type)) return false;
  if (!isWordish(b.type) && b.type !== T_LOGIC_OPERATOR) return false;
  const len = a.len + b.len + 1;
  if (len >= 32) return false;
  const type = lookupPhrase(a.src, a.off, a.len, b.src, b.off, b.len);
  if (type === 0) return false;
  const phrase = a.src.slice(a.off, a.off + a.len) + ' ' + b.src.slice(b.off, b.off + b.len);
  a.type = type;
  a.len = len;
  a.src = phrase;
  a.off = 0;
  return true;
}

/** T-SQL or MySQL functions that are also common column names: a function only before `(`. */
const FUNCTION_LIKE_WORDS = [
  'USER_ID',
  'USER_NAME',
  'DATABASE',
  'PASSWORD',
  'USER',
  'CURRENT_USER',
  'CURRENT_DATE',
  'CURRENT_TIME',
  'CURRENT_TIMESTAMP',
  'LOCALTIME',
  'LOCALTIMESTAMP',
];

function isFunctionLikeWord(t: SqliToken): boolean {
  for (const w of FUNCTION_LIKE_WORDS) if (t.is(w)) return true;
  return false;
}

/** True when the value (up to its first NUL, as a C string) contains `_`. */
function hasUnderscore(t: SqliToken): boolean {
  for (let i = 0; i < t.len; i++) {
    const c = t.at(i);
    if (c === 0) return false;
    if (c === 0x5f) return true;
  }
  return false;
}

/** The 5-token shapes after which folding restarts from the last token(s). */
function isRestartShape(tv: SqliToken[]): boolean {
  const t0 = (tv[0] as SqliToken).type;
  if (t0 !== T_NUMBER && t0 !== T_BAREWORD) return false;
  const t1 = (tv[1] as SqliToken).type;
  const t2 = (tv[2] as SqliToken).type;
  const t3 = (tv[3] as SqliToken).type;
  const t4 = (tv[4] as SqliToken).type;
  if (t0 === T_NUMBER) {
    // 1,(1)  1o(1)  1),(1
    return (
      ((t1 === T_OPERATOR || t1 === T_COMMA) && t2 === T_LEFTPARENS && t3 === T_NUMBER && t4 === T_RIGHTPARENS) ||
      (t1 === T_RIGHTPARENS && t2 === T_COMMA && t3 === T_LEFTPARENS && t4 === T_NUMBER)
    );
  }
  // no(n)  no(1)  n)o(n
  return (
    (t1 === T_OPERATOR && t2 === T_LEFTPARENS && (t3 === T_BAREWORD || t3 === T_NUMBER) && t4 === T_RIGHTPARENS) ||
    (t1 === T_RIGHTPARENS && t2 === T_OPERATOR && t3 === T_LEFTPARENS && t4 === T_BAREWORD)
  );
}

/**
 * Tokenizes and folds the input of `st` (already reset with its flags).
 * Returns the number of tokens left in `st.tokens` (at most 5).
 */
export function fold(st: SqliState): number {
  const tv = st.tokens;
  let lastCommentSet = false;
  const lastComment = tv[7] as SqliToken; // slot 7 is never a folding slot
  let pos = 0;
  let left = 0;
  let more = true;

  // Skip leading comments, '(', SQL types and unary operators.
  st.cur = tv[0] as SqliToken;
  while (more) {
    more = tokenize(st);
    const t = st.cur;
    if (!(t.type === T_COMMENT || t.type === T_LEFTPARENS || t.type === T_SQLTYPE || isUnaryOp(t))) break;
  }
  if (!more) return 0;
  pos += 1;

  for (;;) {
    st.work += 1;
    if (pos >= MAX_TOKENS && isRestartShape(tv)) {
      if (pos > MAX_TOKENS) {
        (tv[1] as SqliToken).copyFrom(tv[MAX_TOKENS] as SqliToken);
        pos = 2;
      } else {
        pos = 1;
      }
      left = 0;
    }

    if (!more || left >= MAX_TOKENS) {
      left = pos;
      break;
    }

    // Get up to two tokens.
    while (more && pos <= MAX_TOKENS && pos - left < 2) {
      st.cur = tv[pos] as SqliToken;
      more = tokenize(st);
      if (more) {
        if (st.cur.type === T_COMMENT) {
          lastComment.copyFrom(st.cur);
          lastCommentSet = true;
        } else {
          lastCommentSet = false;
          pos += 1;
        }
      }
    }
    if (pos - left < 2) {
      left = pos;
      continue;
    }

    const a = tv[left] as SqliToken;
    const b = tv[left + 1] as SqliToken;
    const at = a.type;
    const bt = b.type;

    // Two-token folds, by the type of the first token (a jump table, where a
    // chain of tests cost most pairs ~20 compares). Within a case the rules
    // keep libinjection's order; `break pair` skips the closing-brace rule.
    pair: {
      switch (at) {
        case T_STRING:
          if (bt === T_STRING) {
            // "foo" "bar" is one string.
            pos -= 1;
            st.statsFolds += 1;
            continue;
          }
          break;
        case T_SEMICOLON:
          if (bt === T_SEMICOLON) {
            pos -= 1;
            st.statsFolds += 1;
            continue;
          }
          if (
            bt === T_FUNCTION &&
            (b.at(0) === 0x49 || b.at(0) === 0x69) &&
            (b.at(1) === 0x46 || b.at(1) === 0x66)
          ) {
            // T-SQL: `; IF ...` is control flow, not the IF() function.
            b.type = T_TSQL;
            continue;
          }
          break;
        case T_LOGIC_OPERATOR:
          if (isUnaryOp(b) || bt === T_SQLTYPE) {
            pos -= 1;
            st.statsFolds += 1;
            left = 0;
            continue;
          }
          break;
        case T_OPERATOR:
          if (isUnaryOp(b) || bt === T_SQLTYPE) {
            pos -= 1;
            st.statsFolds += 1;
            left = 0;
            continue;
          }
          if (mergeWords(a, b)) {
            pos -= 1;
            st.statsFolds += 1;
            if (left > 0) left -= 1;
            continue;
          }
          if (a.is('LIKE') || a.is('NOT LIKE')) {
            if (bt === T_LEFTPARENS) a.type = T_FUNCTION; // LIKE(...)
            break pair;
          }
          break;
        case T_LEFTPARENS:
          if (isUnaryOp(b)) {
            pos -= 1;
            st.statsFolds += 1;
            if (left > 0) left -= 1;
            continue;
          }
          if (bt === T_LEFTPARENS) {
            pos -= 1;
            left = 0;
            st.statsFolds += 1;
            continue;
          }
          break;
        case T_KEYWORD:
          if (mergeWords(a, b)) {
            pos -= 1;
            st.statsFolds += 1;
            if (left > 0) left -= 1;
            continue;
          }
          if (a.is('IN') || a.is('NOT IN')) {
            // `IN (` is an operator; otherwise (`IN BOOLEAN MODE`) a plain word.
            a.type = bt === T_LEFTPARENS ? T_OPERATOR : T_BAREWORD;
            continue;
          }
          break;
        case T_BAREWORD:
          if (mergeWords(a, b)) {
            pos -= 1;
            st.statsFolds += 1;
            if (left > 0) left -= 1;
            continue;
          }
          if (bt === T_LEFTPARENS && isFunctionLikeWord(a)) {
            a.type = T_FUNCTION;
            continue;
          }
          break;
        case T_VARIABLE:
          if (bt === T_LEFTPARENS && isFunctionLikeWord(a)) {
            a.type = T_FUNCTION;
            continue;
          }
          break;
        case T_UNION:
        case T_FUNCTION:
        case T_EXPRESSION:
        case T_TSQL:
          if (mergeWords(a, b)) {
            pos -= 1;
            st.statsFolds += 1;
            if (left > 0) left -= 1;
            continue;
          }
          break;
        case T_SQLTYPE:
          if (mergeWords(a, b)) {
            pos -= 1;
            st.statsFolds += 1;
            if (left > 0) left -= 1;
            continue;
          }
          if (
            bt === T_BAREWORD ||
            bt === T_NUMBER ||
            bt === T_SQLTYPE ||
            bt === T_LEFTPARENS ||
            bt === T_FUNCTION ||
            bt === T_VARIABLE ||
            bt === T_STRING
          ) {
            a.copyFrom(b);
            pos -= 1;
            st.statsFolds += 1;
            left = 0;
            continue;
          }
          break;
        case T_COLLATE:
          if (bt === T_BAREWORD) {
            // Collation names are too many to list: one with `_` is taken as a type.
            if (hasUnderscore(b)) {
              b.type = T_SQLTYPE;
              left = 0;
            }
            break pair;
          }
          break;
        case T_BACKSLASH:
          if (isArithmeticOp(b)) {
            // T-SQL parses `\%1` as `0 % 1`.
            a.type = T_NUMBER;
          } else {
            // ... and `\1` as `1`.
            a.copyFrom(b);
            pos -= 1;
            st.statsFolds += 1;
          }
          left = 0;
          continue;
        case T_RIGHTPARENS:
          if (bt === T_RIGHTPARENS) {
            pos -= 1;
            left = 0;
            st.statsFolds += 1;
            continue;
          }
          break;
        case T_LEFTBRACE:
          if (bt === T_BAREWORD) {
            // MySQL `{ ``.``.id }` is too odd to fold: evil. ODBC `{foo expr}` → expr.
            if (b.len === 0) {
              b.type = T_EVIL;
              return left + 2;
            }
            left = 0;
            pos -= 2;
            st.statsFolds += 2;
            continue;
          }
          break;
      }
      if (bt === T_RIGHTBRACE) {
        pos -= 1;
        left = 0;
        st.statsFolds += 1;
        continue;
      }
    }

    // No two-token fold: get a third token.
    while (more && pos <= MAX_TOKENS && pos - left < 3) {
      st.cur = tv[pos] as SqliToken;
      more = tokenize(st);
      if (more) {
        if (st.cur.type === T_COMMENT) {
          lastComment.copyFrom(st.cur);
          lastCommentSet = true;
        } else {
          lastCommentSet = false;
          pos += 1;
        }
      }
    }
    if (pos - left < 3) {
      left = pos;
      continue;
    }

    const x = tv[left] as SqliToken;
    const y = tv[left + 1] as SqliToken;
    const z = tv[left + 2] as SqliToken;
    const xt = x.type;
    const yt = y.type;
    const zt = z.type;

    // Every three-token rule below needs one of these; the commonest shapes
    // (`1UE`, `UE1`, `E1,` of `1 UNION SELECT 1,...`) skip them all at once.
    const threeTokenRule =
      yt === T_OPERATOR || yt === T_COMMA || yt === T_DOT || xt === T_OPERATOR || xt === T_LOGIC_OPERATOR ||
      xt === T_FUNCTION;
    if (!threeTokenRule) {
      // no rule: fall through to `left += 1`
    } else if (xt === T_NUMBER && yt === T_OPERATOR && zt === T_NUMBER) {
      pos -= 2;
      left = 0;
      continue;
    } else if (xt === T_OPERATOR && yt !== T_LEFTPARENS && zt === T_OPERATOR) {
      left = 0;
      pos -= 2;
      continue;
    } else if (xt === T_LOGIC_OPERATOR && zt === T_LOGIC_OPERATOR) {
      pos -= 2;
      left = 0;
      continue;
    } else if (
      xt === T_VARIABLE &&
      yt === T_OPERATOR &&
      (zt === T_VARIABLE || zt === T_NUMBER || zt === T_BAREWORD)
    ) {
      pos -= 2;
      left = 0;
      continue;
    } else if (
      (xt === T_BAREWORD || xt === T_NUMBER) &&
      yt === T_OPERATOR &&
      (zt === T_NUMBER || zt === T_BAREWORD)
    ) {
      pos -= 2;
      left = 0;
      continue;
    } else if (
      (xt === T_BAREWORD || xt === T_NUMBER || xt === T_VARIABLE || xt === T_STRING) &&
      yt === T_OPERATOR &&
      y.len === 2 &&
      y.at(0) === 0x3a &&
      y.at(1) === 0x3a &&
      zt === T_SQLTYPE
    ) {
      // PostgreSQL cast `x::type`.
      pos -= 2;
      left = 0;
      st.statsFolds += 2;
      continue;
    } else if (
      (xt === T_BAREWORD || xt === T_NUMBER || xt === T_STRING || xt === T_VARIABLE) &&
      yt === T_COMMA &&
      (zt === T_NUMBER || zt === T_BAREWORD || zt === T_STRING || zt === T_VARIABLE)
    ) {
      pos -= 2;
      left = 0;
      continue;
    } else if (
      (xt === T_EXPRESSION || xt === T_GROUP || xt === T_COMMA) &&
      isUnaryOp(y) &&
      zt === T_LEFTPARENS
    ) {
      // `SELECT + (`, `LIMIT + (`: drop the unary operator.
      y.copyFrom(z);
      pos -= 1;
      left = 0;
      continue;
    } else if (
      (xt === T_KEYWORD || xt === T_EXPRESSION || xt === T_GROUP) &&
      isUnaryOp(y) &&
      (zt === T_NUMBER || zt === T_BAREWORD || zt === T_VARIABLE || zt === T_STRING || zt === T_FUNCTION)
    ) {
      // `SELECT - 1`
      y.copyFrom(z);
      pos -= 1;
      left = 0;
      continue;
    } else if (
      xt === T_COMMA &&
      isUnaryOp(y) &&
      (zt === T_NUMBER || zt === T_BAREWORD || zt === T_VARIABLE || zt === T_STRING)
    ) {
      // `1,-1` → `1`: drop the sign, then back up to fold further.
      y.copyFrom(z);
      left = 0;
      pos -= 3;
      continue;
    } else if (xt === T_COMMA && isUnaryOp(y) && zt === T_FUNCTION) {
      // `1,-sin(1)` → `1,sin(1)`
      y.copyFrom(z);
      pos -= 1;
      left = 0;
      continue;
    } else if (xt === T_BAREWORD && yt === T_DOT && zt === T_BAREWORD) {
      // database.table
      pos -= 2;
      left = 0;
      continue;
    } else if (xt === T_EXPRESSION && yt === T_DOT && zt === T_BAREWORD) {
      // SELECT . `foo` → SELECT `foo`
      y.copyFrom(z);
      pos -= 1;
      left = 0;
      continue;
    } else if (xt === T_FUNCTION && yt === T_LEFTPARENS && zt !== T_RIGHTPARENS) {
      // USER() takes no argument: USER(foo) is a column.
      if (x.is('USER')) x.type = T_BAREWORD;
    }

    left += 1;
  }

  // With fewer than 5 tokens, a trailing comment is put back.
  if (left < MAX_TOKENS && lastCommentSet) {
    (tv[left] as SqliToken).copyFrom(lastComment);
    left += 1;
  }
  return left > MAX_TOKENS ? MAX_TOKENS : left;
}
