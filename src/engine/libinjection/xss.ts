/**
 * XSS detection, libinjection-compatible: the input is tokenized as HTML5
 * under each context libinjection tries (text, then inside an unquoted,
 * single-, double- and back-quoted attribute value), and it is XSS when a
 * token is a doctype, a dangerous tag, an event-handler or other dangerous
 * attribute, a URL attribute whose value is a script URL, or an IE-style
 * comment. Name comparisons ignore ASCII case and, as in the C library,
 * NUL bytes inside names.
 */
import { H5State } from './html5.ts';
import { BLACK_ATTRS, BLACK_TAGS, BLACK_URL_PREFIXES, EVENT_NAMES } from './xss-names.ts';
import { NameTrie } from './name-trie.ts';

// Local copies of html5.ts and xss-names.ts constants: V8 does not constant-fold
// imported bindings (each use loads a module cell and checks it for TDZ).
// test/libinjection/tables.test.ts checks they match.
const ATTR_NAME = 6;
const ATTR_VALUE = 7;
const DOCTYPE = 9;
const TAG_COMMENT = 8;
const TAG_NAME_OPEN = 1;
const H5_DATA_STATE = 0;
const H5_VALUE_NO_QUOTE = 1;
const H5_VALUE_SINGLE_QUOTE = 2;
const H5_VALUE_DOUBLE_QUOTE = 3;
const H5_VALUE_BACK_QUOTE = 4;
const ATTR_NONE = 0;
const ATTR_BLACK = 1;
const ATTR_URL = 2;
const ATTR_STYLE = 3;
const ATTR_INDIRECT = 4;

function upper(c: number): number {
  return c >= 0x61 && c <= 0x7a ? c - 0x20 : c;
}

const EVENTS = new NameTrie(EVENT_NAMES.map((name) => [name, 1] as const));
const TAGS = new NameTrie(BLACK_TAGS.map((name) => [name, 1] as const));
const ATTRS = new NameTrie(BLACK_ATTRS);

/** True when the `name.length` bytes at `start` equal `name` ignoring case (a NUL among them fails). */
function startsWithName(name: string, s: string, start: number): boolean {
  for (let i = 0; i < name.length; i++) {
    if (upper(s.charCodeAt(start + i)) !== name.charCodeAt(i)) return false;
  }
  return true;
}

/** True when the three bytes at `at` are `a b c` (upper-case), ignoring case. */
function startsWith3(s: string, at: number, a: number, b: number, c: number): boolean {
  return upper(s.charCodeAt(at)) === a && upper(s.charCodeAt(at + 1)) === b && upper(s.charCodeAt(at + 2)) === c;
}

function isBlackTag(s: string, start: number, len: number): boolean {
  if (len < 3) return false;
  if (TAGS.exactIgnoringNul(s, start, len) !== 0) return true;
  // Anything SVG or XSL(T).
  return startsWith3(s, start, 0x53, 0x56, 0x47) || startsWith3(s, start, 0x58, 0x53, 0x4c);
}

function blackAttrType(s: string, start: number, len: number): number {
  if (len < 2) return ATTR_NONE;
  if (len >= 5) {
    const c0 = upper(s.charCodeAt(start));
    const c1 = upper(s.charCodeAt(start + 1));
    // `on` + an event name (as a prefix) is an event handler.
    if (c0 === 0x4f && c1 === 0x4e && EVENTS.prefix(s, start + 2, len - 2) !== 0) return ATTR_BLACK;
    // XMLNS and XLINK can create arbitrary tags.
    if (startsWithName('XMLNS', s, start) || startsWithName('XLINK', s, start)) return ATTR_BLACK;
  }
  return ATTRS.exactIgnoringNul(s, start, len);
}

const HEX = new Int16Array(256).fill(256);
for (let c = 0; c < 10; c++) HEX[0x30 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX[0x41 + c] = 10 + c;
  HEX[0x61 + c] = 10 + c;
}

/** Bytes consumed by the last `decodeCharAt`. */
let consumed = 0;

/** Byte `i` of `s` if below `end`, else 0 (what follows a token never continues an entity). */
function byteAt(s: string, i: number, end: number): number {
  return i < end ? s.charCodeAt(i) & 0xff : 0;
}

/** Decodes one char at `p` (of `n` bytes), expanding `&#NN;` / `&#xHH;` (named entities are left alone). */
function decodeCharAt(s: string, p: number, n: number): number {
  const end = p + n;
  consumed = 1;
  const c0 = s.charCodeAt(p) & 0xff;
  if (c0 !== 0x26 || n < 2) return c0;
  if (s.charCodeAt(p + 1) !== 0x23) return 0x26;
  const c2 = byteAt(s, p + 2, end);
  if (c2 === 0x78 || c2 === 0x58) {
    let val = HEX[byteAt(s, p + 3, end)] as number;
    if (val === 256) return 0x26;
    let i = 4;
    while (i < n) {
      const c = s.charCodeAt(p + i) & 0xff;
      if (c === 0x3b) {
        consumed = i + 1;
        return val;
      }
      const h = HEX[c] as number;
      if (h === 256) {
        consumed = i;
        return val;
      }
      val = val * 16 + h;
      if (val > 0x1000ff) return 0x26;
      i++;
    }
    consumed = i;
    return val;
  }
  if (c2 < 0x30 || c2 > 0x39) return 0x26;
  let val = c2 - 0x30;
  let i = 3;
  while (i < n) {
    const c = s.charCodeAt(p + i) & 0xff;
    if (c === 0x3b) {
      consumed = i + 1;
      return val;
    }
    if (c < 0x30 || c > 0x39) {
      consumed = i;
      return val;
    }
    val = val * 10 + (c - 0x30);
    if (val > 0x1000ff) return 0x26;
    i++;
  }
  consumed = i;
  return val;
}

/**
 * True when the HTML-encoded `s[p, p+n)` starts with `prefix` (upper-case),
 * ignoring case, leading white space and control chars, NUL and newline.
 */
function htmlEncodedStartsWith(prefix: string, s: string, p: number, n: number): boolean {
  let ai = 0;
  let first = true;
  while (n > 0) {
    if (ai === prefix.length) return true;
    let cb = decodeCharAt(s, p, n);
    p += consumed;
    n -= consumed;
    if (first && cb <= 32) continue;
    first = false;
    if (cb === 0 || cb === 10) continue;
    if (cb >= 0x61 && cb <= 0x7a) cb -= 0x20;
    // C compares `(char)cb`: only the low byte counts.
    if (prefix.charCodeAt(ai) !== (cb & 0xff)) return false;
    ai++;
  }
  return ai === prefix.length;
}

function isBlackUrl(s: string, start: number, len: number): boolean {
  // Skip white space, controls and high bytes (Opera's UTF-8 spaces; ignored EUC-JP bytes).
  while (len > 0) {
    const c = s.charCodeAt(start) & 0xff;
    if (c > 32 && c < 127) break;
    start++;
    len--;
  }
  for (const prefix of BLACK_URL_PREFIXES) if (htmlEncodedStartsWith(prefix, s, start, len)) return true;
  return false;
}

function hasBackquote(s: string, start: number, len: number): boolean {
  for (let i = start; i < start + len; i++) if (s.charCodeAt(i) === 0x60) return true;
  return false;
}

function isBlackComment(s: string, start: number, len: number): boolean {
  if (hasBackquote(s, start, len)) return true; // IE ends tags with a backquote
  if (len > 3) {
    // IE conditional comments `[if`, and `xml`.
    if (startsWith3(s, start, 0x5b, 0x49, 0x46)) return true;
    if (startsWith3(s, start, 0x58, 0x4d, 0x4c)) return true;
  }
  if (len > 5) {
    // IE `<?import`, XML `<!ENTITY`.
    if (startsWithName('IMPORT', s, start) || startsWithName('ENTITY', s, start)) return true;
  }
  return false;
}

const h5 = new H5State();

/** XSS check of `s` tokenized from one initial state (`H5_*`). */
export function isXssInContext(s: string, initial: number, state: H5State = h5): boolean {
  state.init(s, initial);
  let attr = ATTR_NONE;
  while (state.next()) {
    const type = state.tokenType;
    const start = state.tokenStart;
    const len = state.tokenLen;
    if (type !== ATTR_VALUE) attr = ATTR_NONE;
    if (type === DOCTYPE) return true;
    if (type === TAG_NAME_OPEN) {
      if (isBlackTag(s, start, len)) return true;
    } else if (type === ATTR_NAME) {
      attr = blackAttrType(s, start, len);
    } else if (type === ATTR_VALUE) {
      switch (attr) {
        case ATTR_BLACK:
        case ATTR_STYLE:
          return true;
        case ATTR_URL:
          if (isBlackUrl(s, start, len)) return true;
          break;
        case ATTR_INDIRECT:
          // The value names an attribute.
          if (blackAttrType(s, start, len) !== ATTR_NONE) return true;
          break;
      }
      attr = ATTR_NONE;
    } else if (type === TAG_COMMENT) {
      if (isBlackComment(s, start, len)) return true;
    }
  }
  return false;
}

/**
 * Detects XSS in `input`, a byte string (one char per byte), as
 * libinjection's `libinjection_xss`.
 */
export function detectXss(input: string): boolean {
  const result =
    isXssInContext(input, H5_DATA_STATE) ||
    isXssInContext(input, H5_VALUE_NO_QUOTE) ||
    isXssInContext(input, H5_VALUE_SINGLE_QUOTE) ||
    isXssInContext(input, H5_VALUE_DOUBLE_QUOTE) ||
    isXssInContext(input, H5_VALUE_BACK_QUOTE);
  h5.init('', H5_DATA_STATE); // do not keep the input alive
  return result;
}

/** Work done by `detectXss(input)` (tokens, states, bytes): for linear-time tests. */
export function xssWork(input: string): number {
  const state = new H5State();
  let work = 0;
  for (const initial of [H5_DATA_STATE, H5_VALUE_NO_QUOTE, H5_VALUE_SINGLE_QUOTE, H5_VALUE_DOUBLE_QUOTE, H5_VALUE_BACK_QUOTE]) {
    state.work = 0;
    const hit = isXssInContext(input, initial, state);
    work += state.work;
    if (hit) break;
  }
  return work;
}
