/**
 * A small trie over upper-case names (letters, `:` and `-`), matched against
 * a range of a byte string ignoring ASCII case, without allocating.
 */

function letterIndex(c: number): number {
  if (c >= 0x61 && c <= 0x7a) return c - 0x61;
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c === 0x3a) return 26; // :
  if (c === 0x2d) return 27; // -
  return -1;
}

const WIDTH = 28;

export class NameTrie {
  readonly #children: Int32Array;
  readonly #values: Int32Array;

  /** `names` are upper-case; each maps to a non-zero value. */
  constructor(names: ReadonlyArray<readonly [string, number]>) {
    const children: number[] = new Array<number>(WIDTH).fill(0);
    const values: number[] = [0];
    for (const [name, value] of names) {
      if (value === 0) throw new Error(`NameTrie: ${name} maps to 0`);
      let node = 0;
      for (let i = 0; i < name.length; i++) {
        const k = letterIndex(name.charCodeAt(i));
        if (k < 0) throw new Error(`NameTrie: ${name} has a character outside A-Z : -`);
        let child = children[node * WIDTH + k] as number;
        if (child === 0) {
          child = values.length;
          values.push(0);
          for (let j = 0; j < WIDTH; j++) children.push(0);
          children[node * WIDTH + k] = child;
        }
        node = child;
      }
      if (values[node] === 0) values[node] = value; // the first listed wins
    }
    this.#children = Int32Array.from(children);
    this.#values = Int32Array.from(values);
  }

  /** Value of the shortest name that `s[start, start+len)` starts with, or 0. */
  prefix(s: string, start: number, len: number): number {
    let node = 0;
    for (let i = 0; i < len; i++) {
      const k = letterIndex(s.charCodeAt(start + i));
      if (k < 0) return 0;
      node = this.#children[node * WIDTH + k] as number;
      if (node === 0) return 0;
      const v = this.#values[node] as number;
      if (v !== 0) return v;
    }
    return 0;
  }

  /** Value of the name equal to `s[start, start+len)` once its NUL bytes are dropped, or 0. */
  exactIgnoringNul(s: string, start: number, len: number): number {
    let node = 0;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(start + i);
      if (c === 0) continue;
      const k = letterIndex(c);
      if (k < 0) return 0;
      node = this.#children[node * WIDTH + k] as number;
      if (node === 0) return 0;
    }
    return this.#values[node] as number;
  }
}
