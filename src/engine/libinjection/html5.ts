/**
 * The HTML5 tokenizer of libinjection (a subset of the WHATWG tokenizer
 * states, plus IE quirks), over byte strings. `next()` produces one token at
 * a time: its type, start and length in the input.
 *
 * C quirks kept: NUL is white space between attributes and ignored in tag
 * names; a 0xFF byte where white space is skipped reads as end of input (it
 * is -1, EOF, as a signed char).
 */

/** Token types. */
export const DATA_TEXT = 0;
export const TAG_NAME_OPEN = 1;
export const TAG_NAME_CLOSE = 2;
export const TAG_NAME_SELFCLOSE = 3;
export const TAG_DATA = 4;
export const TAG_CLOSE = 5;
export const ATTR_NAME = 6;
export const ATTR_VALUE = 7;
export const TAG_COMMENT = 8;
export const DOCTYPE = 9;

export const H5_TYPE_NAMES: readonly string[] = [
  'DATA_TEXT',
  'TAG_NAME_OPEN',
  'TAG_NAME_CLOSE',
  'TAG_NAME_SELFCLOSE',
  'TAG_DATA',
  'TAG_CLOSE',
  'ATTR_NAME',
  'ATTR_VALUE',
  'TAG_COMMENT',
  'DOCTYPE',
];

/** Initial states: where the input is assumed to start. */
export const H5_DATA_STATE = 0;
export const H5_VALUE_NO_QUOTE = 1;
export const H5_VALUE_SINGLE_QUOTE = 2;
export const H5_VALUE_DOUBLE_QUOTE = 3;
export const H5_VALUE_BACK_QUOTE = 4;

// Tokenizer states.
const S_EOF = 0;
const S_DATA = 1;
const S_TAG_OPEN = 2;
const S_TAG_NAME_CLOSE = 3;
const S_BEFORE_ATTRIBUTE_NAME = 4;
const S_AFTER_ATTRIBUTE_NAME = 5;
const S_BEFORE_ATTRIBUTE_VALUE = 6;
const S_VALUE_SINGLE_QUOTE = 7;
const S_VALUE_DOUBLE_QUOTE = 8;
const S_VALUE_BACK_QUOTE = 9;
const S_AFTER_ATTRIBUTE_VALUE_QUOTED = 10;
const S_SELF_CLOSING_START_TAG = 11;

const EOF = -1;
const BANG = 0x21;
const DOUBLE = 0x22;
const PERCENT = 0x25;
const SINGLE = 0x27;
const DASH = 0x2d;
const SLASH = 0x2f;
const LT = 0x3c;
const EQUALS = 0x3d;
const GT = 0x3e;
const QUESTION = 0x3f;
const RIGHTB = 0x5d;
const TICK = 0x60;

/** White space for the tokenizer; NUL included (C's strchr finds the terminator). */
function isWhite(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0;
}

/** True when `s` at `p` starts with `upper`, ignoring ASCII case. */
function startsWithUpper(s: string, p: number, upper: string): boolean {
  for (let i = 0; i < upper.length; i++) {
    let c = s.charCodeAt(p + i);
    if (c >= 0x61 && c <= 0x7a) c -= 0x20;
    if (c !== upper.charCodeAt(i)) return false;
  }
  return true;
}

function isAlpha(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

export class H5State {
  s = '';
  len = 0;
  pos = 0;
  isClose = false;
  state = S_DATA;
  tokenStart = 0;
  tokenLen = 0;
  tokenType = DATA_TEXT;
  /** Work counter (states entered, bytes scanned) for linear-time tests. */
  work = 0;

  init(s: string, initial: number): void {
    this.s = s;
    this.len = s.length;
    this.pos = 0;
    this.isClose = false;
    this.tokenStart = 0;
    this.tokenLen = 0;
    this.tokenType = DATA_TEXT;
    switch (initial) {
      case H5_VALUE_NO_QUOTE:
        this.state = S_BEFORE_ATTRIBUTE_NAME;
        break;
      case H5_VALUE_SINGLE_QUOTE:
        this.state = S_VALUE_SINGLE_QUOTE;
        break;
      case H5_VALUE_DOUBLE_QUOTE:
        this.state = S_VALUE_DOUBLE_QUOTE;
        break;
      case H5_VALUE_BACK_QUOTE:
        this.state = S_VALUE_BACK_QUOTE;
        break;
      default:
        this.state = S_DATA;
    }
  }

  /** Reads the next token; false at the end. */
  next(): boolean {
    this.work += 1;
    switch (this.state) {
      case S_DATA:
        return this.data();
      case S_TAG_OPEN:
        return this.tagOpen();
      case S_TAG_NAME_CLOSE:
        return this.tagNameClose();
      case S_BEFORE_ATTRIBUTE_NAME:
        return this.beforeAttributeName();
      case S_AFTER_ATTRIBUTE_NAME:
        return this.afterAttributeName();
      case S_BEFORE_ATTRIBUTE_VALUE:
        return this.beforeAttributeValue();
      case S_VALUE_SINGLE_QUOTE:
        return this.attributeValueQuote(SINGLE);
      case S_VALUE_DOUBLE_QUOTE:
        return this.attributeValueQuote(DOUBLE);
      case S_VALUE_BACK_QUOTE:
        return this.attributeValueQuote(TICK);
      case S_AFTER_ATTRIBUTE_VALUE_QUOTED:
        return this.afterAttributeValueQuoted();
      case S_SELF_CLOSING_START_TAG:
        return this.selfClosingStartTag();
      default:
        return false;
    }
  }

  private emit(type: number, start: number, len: number): boolean {
    this.tokenType = type;
    this.tokenStart = start;
    this.tokenLen = len;
    this.work += len;
    return true;
  }

  /** Skips white space (and NUL); returns the byte reached, or EOF. 0xFF is EOF too (signed char). */
  private skipWhite(): number {
    const s = this.s;
    while (this.pos < this.len) {
      const c = s.charCodeAt(this.pos);
      if (c === 0 || c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
        this.pos += 1;
        this.work += 1;
      } else {
        return (c & 0xff) === 0xff ? EOF : c;
      }
    }
    return EOF;
  }

  private data(): boolean {
    const idx = this.s.indexOf('<', this.pos);
    if (idx < 0) {
      const start = this.pos;
      this.state = S_EOF;
      if (this.len - start === 0) return false;
      return this.emit(DATA_TEXT, start, this.len - start);
    }
    const start = this.pos;
    this.pos = idx + 1;
    this.state = S_TAG_OPEN;
    if (idx === start) {
      this.tokenType = DATA_TEXT;
      this.tokenStart = start;
      this.tokenLen = 0;
      return this.tagOpen();
    }
    return this.emit(DATA_TEXT, start, idx - start);
  }

  private tagOpen(): boolean {
    if (this.pos >= this.len) return false;
    const c = this.s.charCodeAt(this.pos);
    if (c === BANG) {
      this.pos += 1;
      return this.markupDeclarationOpen();
    }
    if (c === SLASH) {
      this.pos += 1;
      this.isClose = true;
      return this.endTagOpen();
    }
    if (c === QUESTION) {
      this.pos += 1;
      return this.bogusComment();
    }
    if (c === PERCENT) {
      // Not in the spec: `<% ... %>` comments of IE <= 9 and old Safari.
      this.pos += 1;
      return this.bogusComment2();
    }
    if (isAlpha(c) || c === 0) return this.tagName(); // IE ignores NUL
    if (this.pos === 0) return this.data();
    this.state = S_DATA;
    return this.emit(DATA_TEXT, this.pos - 1, 1);
  }

  private endTagOpen(): boolean {
    if (this.pos >= this.len) return false;
    const c = this.s.charCodeAt(this.pos);
    if (c === GT) return this.data();
    if (isAlpha(c)) return this.tagName();
    this.isClose = false;
    return this.bogusComment();
  }

  private tagNameClose(): boolean {
    this.isClose = false;
    const start = this.pos;
    this.pos += 1;
    this.state = this.pos < this.len ? S_DATA : S_EOF;
    return this.emit(TAG_NAME_CLOSE, start, 1);
  }

  private tagName(): boolean {
    const s = this.s;
    const start = this.pos;
    let pos = start;
    while (pos < this.len) {
      const c = s.charCodeAt(pos);
      if (c === 0) {
        pos += 1; // some old browsers ignore NUL in tag names
      } else if (isWhite(c)) {
        this.pos = pos + 1;
        this.state = S_BEFORE_ATTRIBUTE_NAME;
        return this.emit(TAG_NAME_OPEN, start, pos - start);
      } else if (c === SLASH) {
        this.pos = pos + 1;
        this.state = S_SELF_CLOSING_START_TAG;
        return this.emit(TAG_NAME_OPEN, start, pos - start);
      } else if (c === GT) {
        if (this.isClose) {
          this.pos = pos + 1;
          this.isClose = false;
          this.state = S_DATA;
          return this.emit(TAG_CLOSE, start, pos - start);
        }
        this.pos = pos;
        this.state = S_TAG_NAME_CLOSE;
        return this.emit(TAG_NAME_OPEN, start, pos - start);
      } else {
        pos += 1;
      }
    }
    this.state = S_EOF;
    return this.emit(TAG_NAME_OPEN, start, this.len - start);
  }

  private beforeAttributeName(): boolean {
    for (;;) {
      const c = this.skipWhite();
      if (c === EOF) return false;
      if (c === SLASH) {
        this.pos += 1;
        // `/` not followed by `>`: start over here rather than recursing.
        if (this.pos < this.len && this.s.charCodeAt(this.pos) !== GT) continue;
        return this.selfClosingStartTag();
      }
      if (c === GT) {
        this.state = S_DATA;
        const start = this.pos;
        this.pos += 1;
        return this.emit(TAG_NAME_CLOSE, start, 1);
      }
      return this.attributeName();
    }
  }

  private attributeName(): boolean {
    const s = this.s;
    const start = this.pos;
    let pos = start + 1;
    while (pos < this.len) {
      const c = s.charCodeAt(pos);
      if (isWhite(c)) {
        this.state = S_AFTER_ATTRIBUTE_NAME;
        this.pos = pos + 1;
        return this.emit(ATTR_NAME, start, pos - start);
      }
      if (c === SLASH) {
        this.state = S_SELF_CLOSING_START_TAG;
        this.pos = pos + 1;
        return this.emit(ATTR_NAME, start, pos - start);
      }
      if (c === EQUALS) {
        this.state = S_BEFORE_ATTRIBUTE_VALUE;
        this.pos = pos + 1;
        return this.emit(ATTR_NAME, start, pos - start);
      }
      if (c === GT) {
        this.state = S_TAG_NAME_CLOSE;
        this.pos = pos;
        return this.emit(ATTR_NAME, start, pos - start);
      }
      pos += 1;
    }
    this.state = S_EOF;
    this.pos = this.len;
    return this.emit(ATTR_NAME, start, this.len - start);
  }

  private afterAttributeName(): boolean {
    const c = this.skipWhite();
    if (c === EOF) return false;
    if (c === SLASH) {
      this.pos += 1;
      return this.selfClosingStartTag();
    }
    if (c === EQUALS) {
      this.pos += 1;
      return this.beforeAttributeValue();
    }
    if (c === GT) return this.tagNameClose();
    return this.attributeName();
  }

  private beforeAttributeValue(): boolean {
    const c = this.skipWhite();
    if (c === EOF) {
      this.state = S_EOF;
      return false;
    }
    if (c === DOUBLE) return this.attributeValueQuote(DOUBLE);
    if (c === SINGLE) return this.attributeValueQuote(SINGLE);
    if (c === TICK) return this.attributeValueQuote(TICK); // IE
    return this.attributeValueNoQuote();
  }

  private attributeValueQuote(quote: number): boolean {
    // At position 0 the opening quote is only assumed (a quote context).
    if (this.pos > 0) this.pos += 1;
    const start = this.pos;
    const idx = this.s.indexOf(String.fromCharCode(quote), start);
    if (idx < 0) {
      this.state = S_EOF;
      return this.emit(ATTR_VALUE, start, this.len - start);
    }
    this.state = S_AFTER_ATTRIBUTE_VALUE_QUOTED;
    this.pos = idx + 1;
    return this.emit(ATTR_VALUE, start, idx - start);
  }

  private attributeValueNoQuote(): boolean {
    const s = this.s;
    const start = this.pos;
    let pos = start;
    while (pos < this.len) {
      const c = s.charCodeAt(pos);
      if (isWhite(c)) {
        this.pos = pos + 1;
        this.state = S_BEFORE_ATTRIBUTE_NAME;
        return this.emit(ATTR_VALUE, start, pos - start);
      }
      if (c === GT) {
        this.pos = pos;
        this.state = S_TAG_NAME_CLOSE;
        return this.emit(ATTR_VALUE, start, pos - start);
      }
      pos += 1;
    }
    this.state = S_EOF;
    return this.emit(ATTR_VALUE, start, this.len - start);
  }

  private afterAttributeValueQuoted(): boolean {
    if (this.pos >= this.len) return false;
    const c = this.s.charCodeAt(this.pos);
    if (isWhite(c)) {
      this.pos += 1;
      return this.beforeAttributeName();
    }
    if (c === SLASH) {
      this.pos += 1;
      return this.selfClosingStartTag();
    }
    if (c === GT) {
      const start = this.pos;
      this.pos += 1;
      this.state = S_DATA;
      return this.emit(TAG_NAME_CLOSE, start, 1);
    }
    return this.beforeAttributeName();
  }

  private selfClosingStartTag(): boolean {
    if (this.pos >= this.len) return false;
    if (this.s.charCodeAt(this.pos) === GT) {
      const start = this.pos - 1;
      this.state = S_DATA;
      this.pos += 1;
      return this.emit(TAG_NAME_SELFCLOSE, start, 2);
    }
    return this.beforeAttributeName();
  }

  /** `<?...>` and other bogus comments, up to `>`. */
  private bogusComment(): boolean {
    const start = this.pos;
    const idx = this.s.indexOf('>', start);
    if (idx < 0) {
      this.pos = this.len;
      this.state = S_EOF;
      return this.emit(TAG_COMMENT, start, this.len - start);
    }
    this.pos = idx + 1;
    this.state = S_DATA;
    return this.emit(TAG_COMMENT, start, idx - start);
  }

  /** `<% ... %>` */
  private bogusComment2(): boolean {
    const start = this.pos;
    let from = start;
    for (;;) {
      const idx = this.s.indexOf('%', from);
      if (idx < 0 || idx + 1 >= this.len) {
        this.pos = this.len;
        this.state = S_EOF;
        return this.emit(TAG_COMMENT, start, this.len - start);
      }
      if (this.s.charCodeAt(idx + 1) !== GT) {
        from = idx + 1;
        continue;
      }
      this.pos = idx + 2;
      this.state = S_DATA;
      return this.emit(TAG_COMMENT, start, idx - start);
    }
  }

  /** After `<!`: doctype, CDATA, comment or bogus comment. */
  private markupDeclarationOpen(): boolean {
    const s = this.s;
    const p = this.pos;
    const remaining = this.len - p;
    if (remaining >= 7 && startsWithUpper(s, p, 'DOCTYPE')) {
      return this.doctype();
    }
    if (remaining >= 7 && s.startsWith('[CDATA[', p)) {
      this.pos += 7;
      return this.cdata();
    }
    if (remaining >= 2 && s.charCodeAt(p) === DASH && s.charCodeAt(p + 1) === DASH) {
      this.pos += 2;
      return this.comment();
    }
    return this.bogusComment();
  }

  /** Comments end at EOF, `-->` or `-!>` (NULs after the first dash are skipped). */
  private comment(): boolean {
    const s = this.s;
    const len = this.len;
    const start = this.pos;
    let from = start;
    for (;;) {
      const idx = s.indexOf('-', from);
      if (idx < 0 || idx > len - 3) {
        this.state = S_EOF;
        return this.emit(TAG_COMMENT, start, len - start);
      }
      let offset = 1;
      while (idx + offset < len && s.charCodeAt(idx + offset) === 0) offset += 1;
      if (idx + offset === len) {
        this.state = S_EOF;
        return this.emit(TAG_COMMENT, start, len - start);
      }
      const c = s.charCodeAt(idx + offset);
      if (c !== DASH && c !== BANG) {
        from = idx + 1;
        continue;
      }
      offset += 1;
      if (idx + offset === len) {
        this.state = S_EOF;
        return this.emit(TAG_COMMENT, start, len - start);
      }
      if (s.charCodeAt(idx + offset) !== GT) {
        from = idx + 1;
        continue;
      }
      offset += 1;
      this.pos = idx + offset;
      this.state = S_DATA;
      return this.emit(TAG_COMMENT, start, idx - start);
    }
  }

  /** `<![CDATA[ ... ]]>` is text. */
  private cdata(): boolean {
    const s = this.s;
    const len = this.len;
    const start = this.pos;
    let from = start;
    for (;;) {
      const idx = s.indexOf(']', from);
      if (idx < 0 || idx > len - 3) {
        this.state = S_EOF;
        return this.emit(DATA_TEXT, start, len - start);
      }
      if (s.charCodeAt(idx + 1) === RIGHTB && s.charCodeAt(idx + 2) === GT) {
        this.state = S_DATA;
        this.pos = idx + 3;
        return this.emit(DATA_TEXT, start, idx - start);
      }
      from = idx + 1;
    }
  }

  private doctype(): boolean {
    const start = this.pos;
    const idx = this.s.indexOf('>', start);
    if (idx < 0) {
      this.state = S_EOF;
      return this.emit(DOCTYPE, start, this.len - start);
    }
    this.state = S_DATA;
    this.pos = idx + 1;
    return this.emit(DOCTYPE, start, idx - start);
  }
}
