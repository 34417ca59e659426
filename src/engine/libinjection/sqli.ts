/**
 * SQL injection detection, libinjection-compatible: the input is tokenized
 * and folded into a fingerprint of up to five token types under each context
 * libinjection tries (as-is, then as if it followed a `'`, then a `"`; ANSI
 * then MySQL comments), and a context whose fingerprint is a known SQLi
 * fingerprint that survives the false-positive checks makes it SQLi.
 */
import { fold } from './sqli-fold.ts';
import { fingerprintSlot, TABLE_SIZE } from './sqli-keywords.ts';
import type { SqliToken } from './sqli-token.ts';
import { SqliState } from './sqli-tokenizer.ts';

// Local copies of sqli-types.ts constants: V8 does not constant-fold imported
// bindings (each use loads a module cell and checks it for TDZ), which made this
// hot code ~20% slower. test/libinjection/tables.test.ts checks they match.
const FLAG_QUOTE_DOUBLE = 4;
const FLAG_QUOTE_NONE = 1;
const FLAG_QUOTE_SINGLE = 2;
const FLAG_SQL_ANSI = 8;
const FLAG_SQL_MYSQL = 16;
const T_BAREWORD = 0x6e; // n
const T_COMMENT = 0x63; // c
const T_EVIL = 0x58; // X
const T_KEYWORD = 0x6b; // k
const T_NUMBER = 0x31; // 1
const T_UNION = 0x55; // U

export interface SqliResult {
  readonly isSqli: boolean;
  /** The matching fingerprint (e.g. `s&1UE`), empty when not SQLi. */
  readonly fingerprint: string;
}

const TICK = 0x60;

/**
 * Folds the input of `st` under `flags` and stores the fingerprint in
 * `st.fp` / `st.fpLen`. Returns the fingerprint length.
 */
export function fingerprintPass(st: SqliState, flags: number): number {
  st.reset(flags);
  let tlen = fold(st);
  const tv = st.tokens;
  // PHP's unclosed empty backquote at the end is a comment.
  if (tlen > 2) {
    const last = tv[tlen - 1] as SqliToken;
    if (last.type === T_BAREWORD && last.strOpen === TICK && last.len === 0 && last.strClose === 0) {
      last.type = T_COMMENT;
    }
  }
  let evil = false;
  let n = 0;
  while (n < tlen) {
    const type = (tv[n] as SqliToken).type;
    if (type === 0) break; // a C string ends at its first NUL
    if (type === T_EVIL) evil = true;
    st.fp[n] = type;
    n++;
  }
  tlen = n;
  if (evil) {
    // Unparsable: the whole fingerprint becomes "X".
    st.fp[0] = T_EVIL;
    tlen = 1;
    const t0 = tv[0] as SqliToken;
    t0.type = T_EVIL;
    t0.src = 'X';
    t0.off = 0;
    t0.len = 1;
    (tv[1] as SqliToken).type = 0;
  }
  st.fpLen = tlen;
  return tlen;
}

function fpIs(st: SqliState, text: string): boolean {
  if (st.fpLen !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (st.fp[i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Byte `i` of the input as C sees it: NUL past the end, signed (negative above 0x7f). */
function signedByteAt(st: SqliState, i: number): number {
  if (i >= st.slen) return 0;
  const c = st.s.charCodeAt(i) & 0xff;
  return c > 127 ? c - 256 : c;
}

/**
 * The false-positive checks on a matching fingerprint
 * (`libinjection_sqli_not_whitelist`). True means SQLi.
 */
export function notWhitelisted(st: SqliState): boolean {
  const tlen = st.fpLen;
  const tv = st.tokens;
  const t0 = tv[0] as SqliToken;
  const t1 = tv[1] as SqliToken;
  const t2 = tv[2] as SqliToken;

  // SQL Server's audit log drops statements mentioning sp_password.
  if (tlen > 1 && st.fp[tlen - 1] === T_COMMENT && st.s.includes('sp_password')) return true;

  if (tlen === 2) {
    if (st.fp[1] === T_UNION) {
      // "1 union" alone is often plain text; with anything folded away it is not.
      return st.statsTokens !== 2;
    }
    if (t1.at(0) === 0x23) return false; // ends with a '#' comment: too many false positives
    if (t0.type === T_BAREWORD && t1.type === T_COMMENT && t1.at(0) !== 0x2f) return false;
    if (t0.type === T_NUMBER && t1.type === T_COMMENT && t1.at(0) === 0x2f) return true;
    if (t0.type === T_NUMBER && t1.type === T_COMMENT) {
      if (st.statsTokens > 2) return true;
      // "1234--" is SQLi, "1234-ABCDEF--" (base64-ish) is not: look right after the number.
      const ch = signedByteAt(st, t0.len);
      if (ch <= 32) return true;
      if (ch === 0x2f && signedByteAt(st, t0.len + 1) === 0x2a) return true;
      if (ch === 0x2d && signedByteAt(st, t0.len + 1) === 0x2d) return true;
      return false;
    }
    // "--" in the middle of text is common: only a trailing "--" counts.
    if (t1.len > 2 && t1.at(0) === 0x2d) return false;
    return true;
  }

  if (tlen === 3) {
    if (fpIs(st, 'sos') || fpIs(st, 's&s')) {
      // ...foo' + 'bar...: SQLi only when both strings are open at the outer ends.
      return t0.strOpen === 0 && t2.strClose === 0 && t0.strClose === t2.strOpen;
    }
    if (fpIs(st, 's&n') || fpIs(st, 'n&1') || fpIs(st, '1&1') || fpIs(st, '1&v') || fpIs(st, '1&s')) {
      // 'sexy and 17' is not SQLi; 'sexy and 17<18' is.
      return st.statsTokens !== 3;
    }
    if (t1.type === T_KEYWORD) {
      // Only INTO OUTFILE / INTO DUMPFILE.
      if (t1.len < 5) return false;
      for (let i = 0; i < 4; i++) {
        let c = t1.at(i);
        if (c >= 0x61 && c <= 0x7a) c -= 0x20;
        if (c !== 'INTO'.charCodeAt(i)) return false;
      }
    }
  }
  return true;
}

/**
 * `libinjection_sqli_check_fingerprint`: a known fingerprint that survives
 * the false-positive checks. Returns its table slot, or -1.
 */
function checkFingerprint(st: SqliState): number {
  if (st.fpLen < 1) return -1;
  const slot = fingerprintSlot(st.fp, st.fpLen);
  return slot >= 0 && notWhitelisted(st) ? slot : -1;
}

/**
 * Positive results by fingerprint table slot, so a match allocates nothing.
 * Bounded by the number of fingerprints. Two fingerprints that differ only
 * in case (`t`/`T`) share a slot, so the cached text is checked.
 */
const results: (SqliResult | undefined)[] = new Array<SqliResult | undefined>(TABLE_SIZE);

function found(st: SqliState, slot: number): SqliResult {
  const cached = results[slot];
  if (cached !== undefined && fpIs(st, cached.fingerprint)) return cached;
  let fingerprint = '';
  for (let i = 0; i < st.fpLen; i++) fingerprint += String.fromCharCode(st.fp[i] as number);
  const result = Object.freeze({ isSqli: true, fingerprint });
  results[slot] = result;
  return result;
}

function mysqlRetry(st: SqliState): boolean {
  return st.statsCommentDdx !== 0 || st.statsCommentHash !== 0;
}

const shared = new SqliState();
const NOT_SQLI: SqliResult = Object.freeze({ isSqli: false, fingerprint: '' });

/**
 * Detects SQL injection in `input`, a byte string (one char per byte, as made
 * by `Buffer.toString('latin1')`), as libinjection's `libinjection_sqli`.
 */
export function detectSqli(input: string): SqliResult {
  const st = shared;
  if (input.length === 0) return NOT_SQLI;
  st.init(input, FLAG_QUOTE_NONE | FLAG_SQL_ANSI);
  const result = runContexts(st);
  st.release();
  return result;
}

/** Fingerprints `st`'s input under `flags`; the result when SQLi, else null. */
function tryContext(st: SqliState, flags: number): SqliResult | null {
  fingerprintPass(st, flags);
  const slot = checkFingerprint(st);
  return slot < 0 ? null : found(st, slot);
}

/** The contexts libinjection tries, in its order; MySQL comments only when ANSI parsing saw `#` or `--x`. */
function runContexts(st: SqliState): SqliResult {
  const r =
    tryContext(st, FLAG_QUOTE_NONE | FLAG_SQL_ANSI) ??
    (mysqlRetry(st) ? tryContext(st, FLAG_QUOTE_NONE | FLAG_SQL_MYSQL) : null) ??
    (st.s.includes("'") ? singleQuoteContexts(st) : null) ??
    (st.s.includes('"') ? tryContext(st, FLAG_QUOTE_DOUBLE | FLAG_SQL_MYSQL) : null);
  return r ?? NOT_SQLI;
}

function singleQuoteContexts(st: SqliState): SqliResult | null {
  return (
    tryContext(st, FLAG_QUOTE_SINGLE | FLAG_SQL_ANSI) ??
    (mysqlRetry(st) ? tryContext(st, FLAG_QUOTE_SINGLE | FLAG_SQL_MYSQL) : null)
  );
}

/**
 * Work done detecting SQLi in `input` (bytes examined, parser calls, folding
 * steps), for tests that check the work is linear in the input length.
 */
export function sqliWork(input: string): number {
  const st = new SqliState();
  if (input.length === 0) return 0;
  st.init(input, 0);
  st.work = 0;
  runContexts(st);
  return st.work;
}
