/**
 * JSON body processor with ModSecurity v2 semantics (msc_json.c over yajl).
 *
 * Description: parses a UTF-8 JSON body (a byte string, one char per byte) and
 * produces one argument per scalar, named the way ModSecurity v2 names them:
 * - object keys are joined with '.', with no `json.` prefix:
 *   `{"a":{"b":1}}` gives `a.b=1`;
 * - array elements reuse the key of the array as the last name segment, so
 *   `{"a":[1,2]}` gives `a.a=1` and `a.a=2`, and `{"a":[{"b":1}]}` gives `a.a.b=1`;
 * - a top-level array is named `array`: `[1]` gives `array.array=1`;
 * - a top-level scalar has the empty name;
 * - strings are unescaped to UTF-8 bytes, numbers keep their source text,
 *   booleans become `true`/`false` and null becomes ''.
 * ModSecurity v3 and Coraza name these differently (`json.a.array_0`, `json.a.0`);
 * CRS v4 regexes accept both, and the reference engine here is v2.
 *
 * Errors (BodyParseError, REQBODY_ERROR): invalid JSON, invalid UTF-8 in a
 * string, trailing data, nesting deeper than `maxDepth`
 * (SecRequestBodyJsonDepthLimit; the top-level object does not count, a
 * top-level array does, as in v2), more than `maxArgs` scalars (SecArgumentsLimit).
 * An empty body is not an error and yields no arguments. The error carries the
 * arguments parsed before it (`partialArgs`): v2 keeps them in ARGS.
 *
 * Example: `parseJson('{"user":{"$exists":true}}', 512)` → `[{name:'user.$exists', value:'true'}]`.
 */
import { BodyParseError } from './errors.ts';
import type { ArgPair } from './types.ts';

export const DEFAULT_JSON_MAX_ARGS = 1000;

/** The open containers, innermost last. */
type Frame = 'object' | 'array';

function fail(message: string): never {
  throw new BodyParseError('JSON', message);
}

/** yajl's lexer also skips \v and \f between tokens. */
function isWs(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function hex4(s: string, at: number): number {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const c = s.charCodeAt(at + k);
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) d = (c | 0x20) - 0x61 + 10;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}

/** A code point as UTF-8 bytes; yajl writes '?' past 0x1FFFFF. */
function utf8(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  if (cp < 0x10000) {
    return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  if (cp < 0x200000) {
    return String.fromCharCode(
      0xf0 | (cp >> 18),
      0x80 | ((cp >> 12) & 0x3f),
      0x80 | ((cp >> 6) & 0x3f),
      0x80 | (cp & 0x3f),
    );
  }
  return '?';
}

class JsonParser {
  private readonly s: string;
  private pos = 0;
  private readonly maxDepth: number;
  private readonly maxArgs: number;
  readonly args: ArgPair[] = [];
  // v2 naming state: `prefix` (undefined = none) and `currentKey`.
  private prefix: string | undefined;
  private currentKey: string | undefined;
  private depth = 0;
  private readonly stack: Frame[] = [];

  constructor(s: string, maxDepth: number, maxArgs: number) {
    this.s = s;
    this.maxDepth = maxDepth;
    this.maxArgs = maxArgs;
  }

  parse(): void {
    this.skipWs();
    if (this.pos >= this.s.length) fail('premature EOF');
    this.parseValue();
    this.skipWs();
    if (this.pos < this.s.length) fail(`trailing garbage at offset ${this.pos}`);
  }

  private skipWs(): void {
    while (this.pos < this.s.length && isWs(this.s.charCodeAt(this.pos))) this.pos++;
  }

  /** Iterative over containers so that depth never grows the JS stack. */
  private parseValue(): void {
    for (;;) {
      this.skipWs();
      if (this.pos >= this.s.length) fail('premature EOF');
      const c = this.s.charCodeAt(this.pos);
      let opened = false;
      if (c === 0x7b /* { */) {
        this.pos++;
        this.startObject();
        this.skipWs();
        if (this.s.charCodeAt(this.pos) === 0x7d /* } */) {
          this.pos++;
          this.endObject();
        } else {
          this.readKey();
          opened = true;
        }
      } else if (c === 0x5b /* [ */) {
        this.pos++;
        this.startArray();
        this.skipWs();
        if (this.s.charCodeAt(this.pos) === 0x5d /* ] */) {
          this.pos++;
          this.endArray();
        } else {
          opened = true;
        }
      } else {
        this.addArg(this.readScalar());
      }
      if (opened) continue;
      // A value is complete: close containers until one wants another value.
      for (;;) {
        const top = this.stack[this.stack.length - 1];
        if (top === undefined) return;
        this.skipWs();
        if (this.pos >= this.s.length) fail('premature EOF');
        const d = this.s.charCodeAt(this.pos);
        if (d === 0x2c /* , */) {
          this.pos++;
          if (top === 'object') this.readKey();
          break;
        }
        if (top === 'object' && d === 0x7d) {
          this.pos++;
          this.endObject();
          continue;
        }
        if (top === 'array' && d === 0x5d) {
          this.pos++;
          this.endArray();
          continue;
        }
        fail(`parse error: after ${top} element, unexpected character at offset ${this.pos}`);
      }
    }
  }

  /** Reads `"key" :` and makes it the current key. */
  private readKey(): void {
    this.skipWs();
    if (this.pos >= this.s.length) fail('premature EOF');
    if (this.s.charCodeAt(this.pos) !== 0x22) fail(`parse error: object key must be a string at offset ${this.pos}`);
    this.currentKey = this.readString();
    this.skipWs();
    if (this.pos >= this.s.length) fail('premature EOF');
    if (this.s.charCodeAt(this.pos) !== 0x3a) fail(`parse error: object key and value must be separated by a colon at offset ${this.pos}`);
    this.pos++;
  }

  private startObject(): void {
    // The top-level object neither names nor counts toward the depth.
    if (this.currentKey === undefined) {
      this.stack.push('object');
      return;
    }
    this.prefix = this.prefix === undefined ? this.currentKey : `${this.prefix}.${this.currentKey}`;
    this.stack.push('object');
    this.enter();
  }

  private endObject(): void {
    this.stack.pop();
    if (this.prefix === undefined) return;
    const dot = this.prefix.lastIndexOf('.');
    if (dot >= 0) {
      this.currentKey = this.prefix.slice(dot + 1);
      this.prefix = this.prefix.slice(0, dot);
    } else {
      this.currentKey = this.prefix;
      this.prefix = undefined;
    }
    this.depth--;
  }

  private startArray(): void {
    if (this.currentKey === undefined && this.prefix === undefined) {
      this.prefix = 'array';
      this.currentKey = 'array';
    } else if (this.prefix !== undefined) {
      this.prefix = `${this.prefix}.${this.currentKey ?? ''}`;
    } else {
      this.prefix = this.currentKey;
    }
    this.stack.push('array');
    this.enter();
  }

  private endArray(): void {
    this.stack.pop();
    if (this.prefix === undefined) return;
    const dot = this.prefix.lastIndexOf('.');
    this.prefix = dot >= 0 ? this.prefix.slice(0, dot) : undefined;
    this.depth--;
  }

  private enter(): void {
    this.depth++;
    if (this.depth > this.maxDepth) fail('JSON depth limit exceeded');
  }

  private addArg(value: string): void {
    if (this.args.length >= this.maxArgs) fail(`More than ${this.maxArgs} JSON keys`);
    const key = this.currentKey ?? '';
    const name = this.prefix === undefined ? key : `${this.prefix}.${key}`;
    this.args.push({ name, value });
  }

  private readScalar(): string {
    const c = this.s.charCodeAt(this.pos);
    if (c === 0x22) return this.readString();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.readNumber();
    for (const [word, value] of [['true', 'true'], ['false', 'false'], ['null', '']] as const) {
      if (this.s.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    fail(`lexical error: invalid char in json text at offset ${this.pos}`);
  }

  private readNumber(): string {
    const s = this.s;
    const start = this.pos;
    let p = this.pos;
    const digit = (q: number): boolean => {
      const d = s.charCodeAt(q);
      return d >= 0x30 && d <= 0x39;
    };
    if (s.charCodeAt(p) === 0x2d) p++;
    if (s.charCodeAt(p) === 0x30) p++;
    else if (digit(p)) while (digit(p)) p++;
    else fail(`lexical error: malformed number, a digit is required after the minus sign at offset ${p}`);
    if (s.charCodeAt(p) === 0x2e) {
      p++;
      if (!digit(p)) fail(`lexical error: malformed number, a digit is required after the decimal point at offset ${p}`);
      while (digit(p)) p++;
    }
    if ((s.charCodeAt(p) | 0x20) === 0x65) {
      p++;
      if (s.charCodeAt(p) === 0x2b || s.charCodeAt(p) === 0x2d) p++;
      if (!digit(p)) fail(`lexical error: malformed number, a digit is required after the exponent at offset ${p}`);
      while (digit(p)) p++;
    }
    this.pos = p;
    return s.slice(start, p);
  }

  /** Reads a string token at `pos` (on the opening quote) and returns its bytes. */
  private readString(): string {
    const s = this.s;
    const begin = this.pos + 1;
    let p = begin;
    let escaped = false;
    // Lexing first, as yajl does: find the closing quote and validate.
    for (;;) {
      if (p >= s.length) fail('premature EOF');
      const c = s.charCodeAt(p);
      if (c === 0x22) break;
      if (c < 0x20) fail(`lexical error: invalid character inside string at offset ${p}`);
      if (c === 0x5c) {
        escaped = true;
        const e = s[p + 1];
        if (e === undefined) fail('premature EOF');
        if (e === 'u') {
          if (hex4(s, p + 2) < 0) fail(`lexical error: invalid (non-hex) character occurs after '\\u' inside string at offset ${p}`);
          p += 6;
        } else if ('"\\/bfnrt'.includes(e)) {
          p += 2;
        } else {
          fail(`lexical error: inside a string, '\\' occurs before a character which it may not at offset ${p}`);
        }
        continue;
      }
      p = c >= 0x80 ? this.checkUtf8(p, c) : p + 1;
    }
    this.pos = p + 1;
    const raw = s.slice(begin, p);
    return escaped ? unescapeYajl(raw) : raw;
  }

  /** yajl's lenient UTF-8 check: lead byte class plus continuation bytes only. */
  private checkUtf8(p: number, c: number): number {
    let more: number;
    if (c >> 5 === 0x6) more = 1;
    else if (c >> 4 === 0x0e) more = 2;
    else if (c >> 3 === 0x1e) more = 3;
    else fail(`lexical error: invalid bytes in UTF8 string at offset ${p}`);
    for (let k = 1; k <= more; k++) {
      if (p + k >= this.s.length) fail('premature EOF');
      if (this.s.charCodeAt(p + k) >> 6 !== 0x2) fail(`lexical error: invalid bytes in UTF8 string at offset ${p}`);
    }
    return p + more + 1;
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t',
};

/**
 * Decodes the escapes of an already validated string body, with yajl's quirks:
 * a high surrogate is combined with whatever `\uXXXX` follows it; alone it
 * becomes '?' and the byte right after it is dropped.
 */
function unescapeYajl(raw: string): string {
  let out = '';
  let run = 0;
  let i = 0;
  while (i < raw.length) {
    if (raw[i] !== '\\') {
      i++;
      continue;
    }
    out += raw.slice(run, i);
    const e = raw[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      i += 2;
    } else {
      const cp = hex4(raw, i + 2);
      i += 6;
      if ((cp & 0xfc00) !== 0xd800) {
        out += utf8(cp);
      } else if (raw[i] === '\\' && raw[i + 1] === 'u') {
        const low = hex4(raw, i + 2);
        out += utf8(((cp & 0x3f) << 10) | ((((cp >> 6) & 0xf) + 1) << 16) | (low & 0x3ff));
        i += 6;
      } else {
        out += '?';
        i++;
      }
    }
    run = i;
  }
  return out + raw.slice(Math.min(run, raw.length));
}

/**
 * Parses a JSON body into ModSecurity v2 arguments.
 * Throws BodyParseError on invalid JSON, depth over `maxDepth` or more than `maxArgs` values.
 * `maxArgs` is the room left under SecArgumentsLimit: v2 counts the query-string
 * arguments already in ARGS against the same limit.
 */
export function parseJson(body: string, maxDepth: number, maxArgs = DEFAULT_JSON_MAX_ARGS): ArgPair[] {
  if (body.length === 0) return [];
  const parser = new JsonParser(body, maxDepth, maxArgs);
  try {
    parser.parse();
  } catch (e) {
    if (e instanceof BodyParseError) throw new BodyParseError('JSON', e.message, parser.args);
    throw e;
  }
  return parser.args;
}
