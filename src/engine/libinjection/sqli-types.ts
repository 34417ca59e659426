/**
 * Constants shared by the SQLi tokenizer, folder and detector: token types
 * (the characters that make up a fingerprint), parse flags, and the
 * character classes of `sqlparse_data.json`'s charmap.
 *
 * Token types are character codes because a fingerprint is literally the
 * string of its tokens' types (`s&1UE`).
 */

/** Token types (char codes). */
export const T_NONE = 0;
export const T_KEYWORD = 0x6b; // k
export const T_UNION = 0x55; // U
export const T_GROUP = 0x42; // B
export const T_EXPRESSION = 0x45; // E
export const T_SQLTYPE = 0x74; // t
export const T_FUNCTION = 0x66; // f
export const T_BAREWORD = 0x6e; // n
export const T_NUMBER = 0x31; // 1
export const T_VARIABLE = 0x76; // v
export const T_STRING = 0x73; // s
export const T_OPERATOR = 0x6f; // o
export const T_LOGIC_OPERATOR = 0x26; // &
export const T_COMMENT = 0x63; // c
export const T_COLLATE = 0x41; // A
export const T_LEFTPARENS = 0x28; // (
export const T_RIGHTPARENS = 0x29; // )
export const T_LEFTBRACE = 0x7b; // {
export const T_RIGHTBRACE = 0x7d; // }
export const T_DOT = 0x2e; // .
export const T_COMMA = 0x2c; // ,
export const T_COLON = 0x3a; // :
export const T_SEMICOLON = 0x3b; // ;
export const T_TSQL = 0x54; // T
export const T_UNKNOWN = 0x3f; // ?
/** Unparsable input (nested or MySQL-conditional comments): always SQLi. */
export const T_EVIL = 0x58; // X
/** Keyword-table entries that are fingerprints, not words. */
export const T_FINGERPRINT = 0x46; // F
export const T_BACKSLASH = 0x5c; // \

/** Parse flags: which quote context the input is assumed to start in, and which comment dialect. */
export const FLAG_QUOTE_NONE = 1;
export const FLAG_QUOTE_SINGLE = 2;
export const FLAG_QUOTE_DOUBLE = 4;
export const FLAG_SQL_ANSI = 8;
export const FLAG_SQL_MYSQL = 16;

/** Longest token value kept (the C library's `val[32]` minus its terminator). */
export const MAX_TOKEN_LEN = 31;
/** Longest fingerprint. */
export const MAX_TOKENS = 5;

/**
 * Character classes: what the tokenizer does on a byte. The names are the
 * `CHAR_*` strings of `sqlparse_data.json`'s charmap.
 */
export const CHAR_CLASSES: Readonly<Record<string, number>> = Object.freeze({
  CHAR_WHITE: 0,
  CHAR_WORD: 1,
  CHAR_OP1: 2,
  CHAR_UNARY: 3,
  CHAR_OP2: 4,
  CHAR_BANG: 5,
  CHAR_BACK: 6,
  CHAR_DASH: 7,
  CHAR_STR: 8,
  CHAR_HASH: 9,
  CHAR_NUM: 10,
  CHAR_SLASH: 11,
  CHAR_SEMICOLON: 12,
  CHAR_COMMA: 13,
  CHAR_LEFTPARENS: 14,
  CHAR_RIGHTPARENS: 15,
  CHAR_LEFTBRACE: 16,
  CHAR_RIGHTBRACE: 17,
  CHAR_VAR: 18,
  CHAR_OTHER: 19,
  CHAR_MONEY: 20,
  CHAR_TICK: 21,
  CHAR_USTRING: 22,
  CHAR_QSTRING: 23,
  CHAR_NQSTRING: 24,
  CHAR_XSTRING: 25,
  CHAR_BSTRING: 26,
  CHAR_ESTRING: 27,
  CHAR_BWORD: 28,
});

export const C_WHITE = 0;
export const C_WORD = 1;
export const C_OP1 = 2;
export const C_UNARY = 3;
export const C_OP2 = 4;
export const C_BANG = 5;
export const C_BACK = 6;
export const C_DASH = 7;
export const C_STR = 8;
export const C_HASH = 9;
export const C_NUM = 10;
export const C_SLASH = 11;
export const C_SEMICOLON = 12;
export const C_COMMA = 13;
export const C_LEFTPARENS = 14;
export const C_RIGHTPARENS = 15;
export const C_LEFTBRACE = 16;
export const C_RIGHTBRACE = 17;
export const C_VAR = 18;
export const C_OTHER = 19;
export const C_MONEY = 20;
export const C_TICK = 21;
export const C_USTRING = 22;
export const C_QSTRING = 23;
export const C_NQSTRING = 24;
export const C_XSTRING = 25;
export const C_BSTRING = 26;
export const C_ESTRING = 27;
export const C_BWORD = 28;
