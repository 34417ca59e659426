// Local copies of sqli-types.ts constants: V8 does not constant-fold imported
// bindings (each use loads a module cell and checks it for TDZ), which made this
// hot code ~20% slower. test/libinjection/tables.test.ts checks they match.
const MAX_TOKEN_LEN = 31;

/**
 * One SQL token. Its value is `src[off, off+len)`: a range of the input for
 * every token but merged phrases (`UNION ALL`), whose `src` is the phrase.
 * Like the C library, a value keeps at most 31 bytes (`len` is capped), and
 * the tokenizer reuses token objects instead of allocating.
 */
export class SqliToken {
  /** Token type (a char code, see sqli-types.ts); 0 while empty. */
  type = 0;
  /** Position of the value in the input. */
  pos = 0;
  /** Length of the value, at most 31. */
  len = 0;
  /** For variables: how many `@` opened it (1 or 2). */
  count = 0;
  /** Opening and closing quote char codes of strings, 0 when absent. */
  strOpen = 0;
  strClose = 0;
  src = '';
  off = 0;

  /** Empties the token. Position and value are left as they are: every token-making parser assigns them. */
  clear(): void {
    this.type = 0;
    this.count = 0;
    this.strOpen = 0;
    this.strClose = 0;
  }

  /** Sets type and value `src[pos, pos+len)` (capped to 31 bytes); keeps quotes and count. */
  assign(type: number, pos: number, len: number, src: string): void {
    this.type = type;
    this.pos = pos;
    this.len = len < MAX_TOKEN_LEN ? len : MAX_TOKEN_LEN;
    this.src = src;
    this.off = pos;
  }

  copyFrom(o: SqliToken): void {
    this.type = o.type;
    this.pos = o.pos;
    this.len = o.len;
    this.count = o.count;
    this.strOpen = o.strOpen;
    this.strClose = o.strClose;
    this.src = o.src;
    this.off = o.off;
  }

  /** Byte `i` of the value, 0 past its end (the C string terminator). */
  at(i: number): number {
    return i < this.len ? this.src.charCodeAt(this.off + i) : 0;
  }

  /** True when the value equals `upper` ignoring ASCII case (`upper` is upper-case). */
  is(upper: string): boolean {
    const n = this.len;
    if (n !== upper.length) return false;
    for (let i = 0; i < n; i++) {
      let c = this.src.charCodeAt(this.off + i);
      if (c >= 0x61 && c <= 0x7a) c -= 0x20;
      if (c !== upper.charCodeAt(i)) return false;
    }
    return true;
  }

  /** The value as the C library prints it: up to its first NUL byte. */
  value(): string {
    const v = this.src.slice(this.off, this.off + this.len);
    const nul = v.indexOf('\0');
    return nul < 0 ? v : v.slice(0, nul);
  }
}
