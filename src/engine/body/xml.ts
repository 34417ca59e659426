/**
 * XML body processor: a small non-validating parser producing the tree that
 * SecLang `XML:` targets query (see xpath.ts), with libxml2 semantics.
 *
 * Description: `parseXml` checks well-formedness the way libxml2 does for what
 * a WAF needs (one root element, matching tags, quoted and unique attributes,
 * legal characters and references, no `]]>` in text, depth ≤ 256 like libxml2
 * without XML_PARSE_HUGE) and builds a tree of elements and text. It is safe on
 * hostile input: no recursion, no entity expansion beyond the five predefined
 * entities and numeric character references, no external entities (ModSecurity
 * disables their loading too). Entities declared in the DTD internal subset are
 * accepted but contribute no text (libxml2 would include internal ones).
 * Line ends are normalised to LF and attribute whitespace to spaces, as XML
 * requires. Input is UTF-8 (a BOM is skipped); a declared ISO-8859-1/US-ASCII
 * encoding is transcoded to UTF-8; other encodings are refused.
 *
 * XPath evaluation for `XML:` targets is in xpath.ts.
 *
 * Errors: parse errors throw BodyParseError (REQBODY_ERROR). An empty body
 * gives `undefined` (ModSecurity: no document, no error).
 *
 * Example: `parseXml('<a x="1">hi</a>')` → `{root: {name: 'a', attributes: [{x, 1}], children: [text 'hi']}}`.
 */
import { BodyParseError } from './errors.ts';

// Querying the tree (XML:<xpath>) lives in xpath.ts; re-exported for callers of this module.
export { compileXpath, evaluateXpath, textContent, xpath, type XpathQuery } from './xpath.ts';

/** libxml2's default nesting limit (xmlParserMaxDepth). */
export const DEFAULT_XML_MAX_DEPTH = 256;

export interface XmlAttribute {
  readonly name: string;
  readonly value: string;
}

export interface XmlText {
  readonly kind: 'text';
  /** Character data (text or CDATA section), references decoded. */
  readonly value: string;
}

export interface XmlElement {
  readonly kind: 'element';
  readonly name: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlNode[];
}

export type XmlNode = XmlElement | XmlText;

export interface XmlDocument {
  readonly root: XmlElement;
}

export interface XmlOptions {
  /** Maximum element nesting; deeper documents are errors. */
  readonly maxDepth?: number;
}

interface MutableElement {
  readonly kind: 'element';
  readonly name: string;
  readonly attributes: XmlAttribute[];
  readonly children: XmlNode[];
}

function fail(message: string, at?: number): never {
  throw new BodyParseError('XML', at === undefined ? `XML: ${message}` : `XML: ${message} at offset ${at}`);
}

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || c >= 0x80;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
}

function isXmlSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** A code point as UTF-8 bytes (one char per byte). */
function utf8(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  if (cp < 0x10000) {
    return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return String.fromCharCode(
    0xf0 | (cp >> 18),
    0x80 | ((cp >> 12) & 0x3f),
    0x80 | ((cp >> 6) & 0x3f),
    0x80 | (cp & 0x3f),
  );
}

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x09 ||
    cp === 0x0a ||
    cp === 0x0d ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Fails on bytes that are not well-formed UTF-8 encoding legal XML characters. */
function checkUtf8(s: string): void {
  const n = s.length;
  for (let i = 0; i < n; ) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) fail('invalid character', i);
      i++;
      continue;
    }
    let more: number;
    let cp: number;
    if (c >= 0xc2 && c <= 0xdf) {
      more = 1;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      more = 2;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      more = 3;
      cp = c & 0x07;
    } else {
      fail('input is not proper UTF-8', i);
    }
    for (let k = 1; k <= more; k++) {
      const d = i + k < n ? s.charCodeAt(i + k) : 0;
      if ((d & 0xc0) !== 0x80) fail('input is not proper UTF-8', i);
      cp = (cp << 6) | (d & 0x3f);
    }
    const min = more === 1 ? 0x80 : more === 2 ? 0x800 : 0x10000;
    if (cp < min || !isXmlChar(cp)) fail('input is not proper UTF-8', i);
    i += more + 1;
  }
}

/** Handles the BOM and the declared encoding; returns UTF-8 text with LF line ends. */
function prepareInput(body: string): string {
  let s = body.startsWith('\xef\xbb\xbf') ? body.slice(3) : body;
  if (s.startsWith('\xfe\xff') || s.startsWith('\xff\xfe') || s.startsWith('\0')) fail('unsupported encoding (UTF-16/32)');
  const decl = /^<\?xml[\x20\t\r\n][^>]*?encoding[\x20\t\r\n]*=[\x20\t\r\n]*(?:"([^"]*)"|'([^']*)')/.exec(s);
  const encoding = (decl?.[1] ?? decl?.[2] ?? 'utf-8').toLowerCase();
  if (encoding === 'iso-8859-1' || encoding === 'latin1' || encoding === 'latin-1' || encoding === 'us-ascii' || encoding === 'ascii') {
    let out = '';
    let run = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        if (encoding.includes('ascii')) fail('input is not proper US-ASCII', i);
        out += s.slice(run, i) + utf8(c);
        run = i + 1;
      }
    }
    s = out + s.slice(run);
  } else if (encoding !== 'utf-8' && encoding !== 'utf8') {
    fail(`unsupported encoding ${encoding}`);
  }
  checkUtf8(s);
  return s.includes('\r') ? s.replace(/\r\n?/g, '\n') : s;
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

class XmlParser {
  private readonly s: string;
  private pos = 0;
  private readonly maxDepth: number;
  /** General entities declared in the internal subset (accepted, expanded to nothing). */
  private readonly declared = new Set<string>();

  constructor(s: string, maxDepth: number) {
    this.s = s;
    this.maxDepth = maxDepth;
  }

  parse(): XmlDocument {
    const s = this.s;
    if (s.startsWith('<?xml') && (s.length === 5 || isXmlSpace(s.charCodeAt(5)) || s[5] === '?')) this.skipPi();
    this.skipMisc(true);
    if (!s.startsWith('<', this.pos) || !isNameStart(s.charCodeAt(this.pos + 1))) {
      fail(this.pos >= s.length ? 'document is empty or has no root element' : 'start tag expected', this.pos);
    }
    const root = this.parseRoot();
    this.skipMisc(false);
    if (this.pos < s.length) fail('extra content at the end of the document', this.pos);
    return { root };
  }

  /** Whitespace, comments, PIs and (before the root) one DOCTYPE. */
  private skipMisc(beforeRoot: boolean): void {
    const s = this.s;
    let seenDoctype = false;
    for (;;) {
      while (this.pos < s.length && isXmlSpace(s.charCodeAt(this.pos))) this.pos++;
      if (s.startsWith('<!--', this.pos)) this.skipComment();
      else if (s.startsWith('<?', this.pos)) this.skipPi();
      else if (beforeRoot && !seenDoctype && s.startsWith('<!DOCTYPE', this.pos)) {
        this.skipDoctype();
        seenDoctype = true;
      } else return;
    }
  }

  private skipComment(): void {
    const end = this.s.indexOf('-->', this.pos + 4);
    if (end === -1) fail('comment not terminated', this.pos);
    const inner = this.s.slice(this.pos + 4, end);
    if (inner.includes('--') || inner.endsWith('-')) fail("double hyphen within comment", this.pos);
    this.pos = end + 3;
  }

  private skipPi(): void {
    const start = this.pos;
    let p = start + 2;
    const nameStart = p;
    if (!isNameStart(this.s.charCodeAt(p))) fail('processing instruction without a target', start);
    while (p < this.s.length && isNameChar(this.s.charCodeAt(p))) p++;
    const target = this.s.slice(nameStart, p);
    if (target.toLowerCase() === 'xml' && start !== 0) fail('XML declaration allowed only at the start of the document', start);
    const end = this.s.indexOf('?>', p);
    if (end === -1) fail('processing instruction not terminated', start);
    if (end > p && !isXmlSpace(this.s.charCodeAt(p))) fail('space required after the processing instruction target', p);
    this.pos = end + 2;
  }

  /** `<!DOCTYPE name ExternalID? [internal subset]? >`: only entity names are kept. */
  private skipDoctype(): void {
    const s = this.s;
    const start = this.pos;
    let p = start + 9;
    let bracket = false;
    for (;;) {
      if (p >= s.length) fail('DOCTYPE not terminated', start);
      const c = s[p];
      if (c === '"' || c === "'") {
        const close = s.indexOf(c, p + 1);
        if (close === -1) fail('unterminated literal in DOCTYPE', p);
        p = close + 1;
      } else if (bracket && s.startsWith('<!--', p)) {
        this.pos = p;
        this.skipComment();
        p = this.pos;
      } else if (bracket && s.startsWith('<!ENTITY', p)) {
        const m = /^<!ENTITY[\x20\t\n]+([^\x20\t\n%][^\x20\t\n]*)/.exec(s.slice(p, p + 300));
        if (m?.[1] !== undefined) this.declared.add(m[1]);
        p += 8;
      } else if (c === '[') {
        if (bracket) fail('unexpected [ in DOCTYPE', p);
        bracket = true;
        p++;
      } else if (c === ']') {
        if (!bracket) fail('unexpected ] in DOCTYPE', p);
        bracket = false;
        p++;
      } else if (c === '>' && !bracket) {
        this.pos = p + 1;
        return;
      } else {
        p++;
      }
    }
  }

  private readName(): string {
    const s = this.s;
    const start = this.pos;
    if (!isNameStart(s.charCodeAt(start))) fail('name expected', start);
    let p = start + 1;
    while (p < s.length && isNameChar(s.charCodeAt(p))) p++;
    this.pos = p;
    return s.slice(start, p);
  }

  private skipSpace(): boolean {
    const before = this.pos;
    while (this.pos < this.s.length && isXmlSpace(this.s.charCodeAt(this.pos))) this.pos++;
    return this.pos > before;
  }

  /** Decodes `&...;` at `pos`, returns its text (''), and moves past it. */
  private readReference(): string {
    const s = this.s;
    const start = this.pos;
    const end = s.indexOf(';', start + 1);
    if (end === -1 || end - start > 64) fail('EntityRef: expecting ;', start);
    const ref = s.slice(start + 1, end);
    this.pos = end + 1;
    if (ref.startsWith('#')) {
      const hex = ref.startsWith('#x');
      const digits = ref.slice(hex ? 2 : 1);
      if (digits.length === 0 || !(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) fail('invalid character reference', start);
      const cp = Number.parseInt(digits, hex ? 16 : 10);
      if (!isXmlChar(cp)) fail('xmlParseCharRef: invalid xmlChar value', start);
      return utf8(cp);
    }
    const predefined = PREDEFINED[ref];
    if (predefined !== undefined) return predefined;
    if (!/^[A-Za-z_:\x80-\xff][\w.:\x80-\xff-]*$/.test(ref)) fail('EntityRef: expecting ;', start);
    if (!this.declared.has(ref)) fail(`Entity '${ref}' not defined`, start);
    return '';
  }

  private readAttributeValue(): string {
    const s = this.s;
    const quote = s[this.pos];
    if (quote !== '"' && quote !== "'") fail('AttValue: " or \' expected', this.pos);
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= s.length) fail('AttValue: \' expected', this.pos);
      const c = s[this.pos];
      if (c === quote) {
        this.pos++;
        return out;
      }
      if (c === '<') fail("Unescaped '<' not allowed in attributes values", this.pos);
      if (c === '&') {
        out += this.readReference();
        continue;
      }
      // Attribute-value normalisation: literal whitespace becomes a space.
      out += c === '\n' || c === '\t' ? ' ' : c;
      this.pos++;
    }
  }

  /** Whether the last start tag read was an empty-element tag (`/>`). */
  private lastTagEmpty = false;

  /** Parses `<name attrs>` at `pos`; `lastTagEmpty` tells whether it ended with `/>`. */
  private readStartTag(): MutableElement {
    this.pos++; // '<'
    const name = this.readName();
    const attributes: XmlAttribute[] = [];
    let seen: Set<string> | undefined;
    for (;;) {
      const spaced = this.skipSpace();
      const c = this.s[this.pos];
      if (c === '>') {
        this.pos++;
        this.lastTagEmpty = false;
        return { kind: 'element', name, attributes, children: [] };
      }
      if (c === '/' && this.s[this.pos + 1] === '>') {
        this.pos += 2;
        this.lastTagEmpty = true;
        return { kind: 'element', name, attributes, children: [] };
      }
      if (c === undefined) fail(`Couldn't find end of Start Tag ${name}`, this.pos);
      if (!spaced) fail('attributes construct error', this.pos);
      const attrName = this.readName();
      this.skipSpace();
      if (this.s[this.pos] !== '=') fail(`Specification mandates value for attribute ${attrName}`, this.pos);
      this.pos++;
      this.skipSpace();
      const value = this.readAttributeValue();
      // A linear scan for the usual few attributes, a set past that.
      if (seen === undefined && attributes.length >= 8) seen = new Set(attributes.map((a) => a.name));
      const duplicate = seen !== undefined ? seen.has(attrName) : attributes.some((a) => a.name === attrName);
      if (duplicate) fail(`Attribute ${attrName} redefined`, this.pos);
      seen?.add(attrName);
      attributes.push({ name: attrName, value });
    }
  }

  /** The root element and its content, iteratively. */
  private parseRoot(): XmlElement {
    const s = this.s;
    const root = this.readStartTag();
    if (this.lastTagEmpty) return root;
    const stack: MutableElement[] = [root];
    while (stack.length > 0) {
      const current = stack[stack.length - 1] as MutableElement;
      if (this.pos >= s.length) fail(`Premature end of data in tag ${current.name}`, this.pos);
      const c = s[this.pos];
      if (c !== '<') {
        current.children.push({ kind: 'text', value: this.readText() });
        continue;
      }
      if (s.startsWith('</', this.pos)) {
        this.pos += 2;
        const name = this.readName();
        this.skipSpace();
        if (s[this.pos] !== '>') fail(`expected '>' in end tag ${name}`, this.pos);
        this.pos++;
        if (name !== current.name) fail(`Opening and ending tag mismatch: ${current.name} and ${name}`, this.pos);
        stack.pop();
        continue;
      }
      if (s.startsWith('<!--', this.pos)) {
        this.skipComment();
        continue;
      }
      if (s.startsWith('<![CDATA[', this.pos)) {
        const end = s.indexOf(']]>', this.pos + 9);
        if (end === -1) fail('CData section not finished', this.pos);
        current.children.push({ kind: 'text', value: s.slice(this.pos + 9, end) });
        this.pos = end + 3;
        continue;
      }
      if (s.startsWith('<?', this.pos)) {
        this.skipPi();
        continue;
      }
      if (!isNameStart(s.charCodeAt(this.pos + 1))) fail('StartTag: invalid element name', this.pos);
      const child = this.readStartTag();
      current.children.push(child);
      if (!this.lastTagEmpty) {
        if (stack.length >= this.maxDepth) fail(`Excessive depth in document: ${this.maxDepth}`, this.pos);
        stack.push(child);
      }
    }
    return root;
  }

  /** Character data up to the next '<', references decoded. */
  private readText(): string {
    const s = this.s;
    let out = '';
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === '<') break;
      if (c === '&') {
        out += this.readReference();
        continue;
      }
      if (c === ']' && s.startsWith(']]>', this.pos)) fail("Sequence ']]>' not allowed in content", this.pos);
      let next = this.pos + 1;
      while (next < s.length && s[next] !== '<' && s[next] !== '&' && s[next] !== ']') next++;
      out += s.slice(this.pos, next);
      this.pos = next;
    }
    return out;
  }
}

/**
 * Parses an XML body. Returns undefined for an empty body; throws
 * BodyParseError when the document is not well-formed.
 */
export function parseXml(body: string, options: XmlOptions = {}): XmlDocument | undefined {
  if (body.length === 0) return undefined;
  const parser = new XmlParser(prepareInput(body), options.maxDepth ?? DEFAULT_XML_MAX_DEPTH);
  return parser.parse();
}
