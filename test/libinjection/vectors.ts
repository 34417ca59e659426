/**
 * Helpers for libinjection's test vectors: the data directory, the
 * --TEST--/--INPUT--/--EXPECTED-- file format, and token printers in the
 * format the vectors expect (that of libinjection's testdriver.c).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  fold, H5_TYPE_NAMES, H5State, SqliState, type SqliToken, sqliTypes, tokenize,
} from '../../src/engine/libinjection/index.ts';

export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/libinjection');

export interface Vector {
  readonly name: string;
  readonly input: string;
  readonly expected: string;
}

function rtrim(s: string): string {
  return s.replace(/[ \n\t\r]+$/, '');
}

/** Parses a vector file (read as latin1) as testdriver.c does; null when a section is missing. */
export function parseVector(name: string, text: string): Vector | null {
  const lines = text.split(/(?<=\n)/);
  let section = 0;
  const parts = ['', '', '', ''];
  for (const line of lines) {
    if (section === 0 && line === '--TEST--\n') section = 1;
    else if (section === 1 && line === '--INPUT--\n') section = 2;
    else if (section === 2 && line === '--EXPECTED--\n') section = 3;
    else parts[section] += line;
  }
  if (section !== 3) return null;
  return { name, input: rtrim(parts[2] as string), expected: rtrim(parts[3] as string) };
}

export function readVector(file: string): Vector | null {
  return parseVector(file, readFileSync(join(DATA_DIR, 'tests', file), 'latin1'));
}

function printString(t: SqliToken): string {
  let out = '';
  if (t.strOpen !== 0) out += String.fromCharCode(t.strOpen);
  out += t.value();
  if (t.strClose !== 0) out += String.fromCharCode(t.strClose);
  return out;
}

/** One token as testdriver.c's print_token: `type value`. */
export function printToken(t: SqliToken): string {
  let out = String.fromCharCode(t.type) + ' ';
  if (t.type === sqliTypes.T_STRING) {
    out += printString(t);
  } else if (t.type === sqliTypes.T_VARIABLE) {
    if (t.count >= 1) out += '@';
    if (t.count === 2) out += '@';
    out += printString(t);
  } else {
    out += t.value();
  }
  return out + '\n';
}

/** All tokens of `input` (no folding, no quote, ANSI). */
export function printTokens(input: string): string {
  const st = new SqliState();
  st.init(input, sqliTypes.FLAG_QUOTE_NONE | sqliTypes.FLAG_SQL_ANSI);
  let out = '';
  while (tokenize(st)) out += printToken(st.cur);
  return rtrim(out);
}

/** The folded tokens of `input` (no quote, ANSI). */
export function printFolded(input: string): string {
  const st = new SqliState();
  st.init(input, sqliTypes.FLAG_QUOTE_NONE | sqliTypes.FLAG_SQL_ANSI);
  const n = fold(st);
  let out = '';
  for (let i = 0; i < n; i++) out += printToken(st.tokens[i] as SqliToken);
  return rtrim(out);
}

/** HTML5 tokens of `input` from the data state: `TYPE,len,text` (text up to its first NUL). */
export function printHtml5(input: string): string {
  const h = new H5State();
  h.init(input, 0);
  let out = '';
  while (h.next()) {
    let text = input.slice(h.tokenStart, h.tokenStart + h.tokenLen);
    const nul = text.indexOf('\0');
    if (nul >= 0) text = text.slice(0, nul);
    out += `${H5_TYPE_NAMES[h.tokenType]},${h.tokenLen},${text}\n`;
  }
  return rtrim(out);
}
