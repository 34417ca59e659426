/**
 * Aho-Corasick automaton for @pm and @pmFromFile: all phrases are found in one
 * pass over the input. Matching is case-insensitive for ASCII letters only (C
 * tolower, as ModSecurity's acmp), and, like acmp_process_quick, stops at the
 * first position where some phrase ends. The text it reports is acmp's: the
 * trie node's own text, i.e. the path as spelled by the first phrase that
 * created the node. For a phrase found through a failure link (`ab` inside
 * `xab` when `xabc` is also a phrase) that is the longer path (`xab`), as in v2.
 *
 * Layout is flat typed arrays: the root has a 256-entry table, other nodes a
 * short sorted child list (most trie nodes have one child), plus failure links
 * and a link to the nearest node that ends a phrase. When it fits in a few MB
 * (every CRS data file does), the automaton is also compiled to a full DFA over
 * byte classes, so matching is one table lookup per input byte.
 */

/** Largest DFA built, in table entries (2 bytes each). */
const MAX_DFA_ENTRIES = 4_000_000;

const FOLD = new Uint8Array(256).map((_, c) => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c));

export class AhoCorasick {
  readonly phrases: readonly string[];
  private readonly root = new Int32Array(256);
  private readonly childStart: Int32Array;
  private readonly childCount: Uint16Array;
  private readonly childByte: Uint8Array;
  private readonly childNode: Int32Array;
  private readonly fail: Int32Array;
  /** Phrase index ending exactly at the node, or -1. */
  private readonly output: Int32Array;
  /** Byte → class for the DFA (ASCII case folded; bytes in no phrase share class 0). */
  private readonly classOf = new Uint8Array(256);
  private classes = 0;
  /** DFA: next node = dfa[node * classes + class]; undefined when too big. */
  private dfa: Uint16Array | undefined;
  /** 1 when reaching the node means a phrase ends (own or through failure links). */
  private readonly hit: Uint8Array;
  /** Phrase that created the node, and the node's depth: its text is that phrase's prefix. */
  private readonly creator: Int32Array;
  private readonly depth: Int32Array;
  /** Nearest node on the failure chain (excluding itself) with an output, or -1. */
  private readonly outLink: Int32Array;

  /** `maxDfaEntries` bounds the DFA table (0 keeps the sparse automaton only). */
  constructor(phrases: readonly string[], maxDfaEntries = MAX_DFA_ENTRIES) {
    this.phrases = phrases;
    // 1. Build the trie with Map children.
    const kids: Array<Map<number, number>> = [new Map()];
    const out: number[] = [-1];
    const creator: number[] = [-1];
    const depth: number[] = [0];
    phrases.forEach((phrase, index) => {
      let node = 0;
      for (let i = 0; i < phrase.length; i++) {
        const b = FOLD[phrase.charCodeAt(i) & 0xff] as number;
        let next = (kids[node] as Map<number, number>).get(b);
        if (next === undefined) {
          next = kids.length;
          kids.push(new Map());
          out.push(-1);
          creator.push(index);
          depth.push(i + 1);
          (kids[node] as Map<number, number>).set(b, next);
        }
        node = next;
      }
      if (phrase.length > 0 && out[node] === -1) out[node] = index;
    });
    const count = kids.length;
    this.output = Int32Array.from(out);
    this.creator = Int32Array.from(creator);
    this.depth = Int32Array.from(depth);
    this.fail = new Int32Array(count);
    this.outLink = new Int32Array(count).fill(-1);
    // 2. Flatten the child lists.
    let edges = 0;
    for (const m of kids) edges += m.size;
    this.childStart = new Int32Array(count);
    this.childCount = new Uint16Array(count);
    this.childByte = new Uint8Array(edges);
    this.childNode = new Int32Array(edges);
    let e = 0;
    kids.forEach((m, node) => {
      this.childStart[node] = e;
      this.childCount[node] = m.size;
      for (const [b, target] of [...m].sort((x, y) => x[0] - y[0])) {
        this.childByte[e] = b;
        this.childNode[e] = target;
        e++;
      }
    });
    for (let b = 0; b < 256; b++) this.root[b] = (kids[0] as Map<number, number>).get(b) ?? 0;
    // 3. Failure links, breadth first.
    const queue: number[] = [];
    for (const target of (kids[0] as Map<number, number>).values()) {
      this.fail[target] = 0;
      queue.push(target);
    }
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q] as number;
      for (const [b, target] of kids[node] as Map<number, number>) {
        let f = this.fail[node] as number;
        while (f !== 0 && this.child(f, b) === -1) f = this.fail[f] as number;
        const viaFail = f === 0 ? (this.root[b] as number) : this.child(f, b);
        this.fail[target] = viaFail === target ? 0 : viaFail;
        const ft = this.fail[target] as number;
        this.outLink[target] = (this.output[ft] as number) !== -1 ? ft : (this.outLink[ft] as number);
        queue.push(target);
      }
    }
    this.hit = new Uint8Array(count);
    for (let node = 1; node < count; node++) {
      this.hit[node] = (this.output[node] as number) !== -1 || (this.outLink[node] as number) !== -1 ? 1 : 0;
    }
    this.buildDfa(kids, queue, maxDfaEntries);
  }

  private buildDfa(kids: ReadonlyArray<Map<number, number>>, bfsOrder: readonly number[], maxEntries: number): void {
    const used = new Set<number>();
    for (const m of kids) for (const b of m.keys()) used.add(b);
    const count = kids.length;
    const k = used.size + 1;
    if (count >= 0xffff || count * k > maxEntries) return;
    let next = 1;
    for (const b of [...used].sort((x, y) => x - y)) this.classOf[b] = next++;
    for (let c = 0x41; c <= 0x5a; c++) this.classOf[c] = this.classOf[c + 0x20] as number;
    const byteOfClass = new Int32Array(k).fill(-1);
    for (const b of used) byteOfClass[this.classOf[b] as number] = b;
    const dfa = new Uint16Array(count * k);
    for (let cls = 1; cls < k; cls++) dfa[cls] = this.root[byteOfClass[cls] as number] as number;
    // Breadth-first, so a node's failure target already has its row.
    for (const node of bfsOrder) {
      const row = node * k;
      const failRow = (this.fail[node] as number) * k;
      for (let cls = 1; cls < k; cls++) {
        const child = this.child(node, byteOfClass[cls] as number);
        dfa[row + cls] = child !== -1 ? child : (dfa[failRow + cls] as number);
      }
    }
    this.classes = k;
    this.dfa = dfa;
  }

  private child(node: number, b: number): number {
    const start = this.childStart[node] as number;
    const end = start + (this.childCount[node] as number);
    for (let e = start; e < end; e++) {
      const cb = this.childByte[e] as number;
      if (cb === b) return this.childNode[e] as number;
      if (cb > b) break;
    }
    return -1;
  }

  private text(node: number): string {
    return (this.phrases[this.creator[node] as number] as string).slice(0, this.depth[node] as number);
  }

  /** The text of the first match (earliest end), as acmp reports it, or undefined. */
  firstMatch(input: string): string | undefined {
    const dfa = this.dfa;
    if (dfa !== undefined) {
      const k = this.classes;
      const classOf = this.classOf;
      const hit = this.hit;
      let node = 0;
      for (let i = 0; i < input.length; i++) {
        node = dfa[node * k + (classOf[input.charCodeAt(i) & 0xff] as number)] as number;
        if (hit[node] === 1) return this.text(node);
      }
      return undefined;
    }
    let node = 0;
    const n = input.length;
    for (let i = 0; i < n; i++) {
      const b = FOLD[input.charCodeAt(i) & 0xff] as number;
      let next = node === 0 ? (this.root[b] as number) : this.child(node, b);
      while (next === -1) {
        node = this.fail[node] as number;
        next = node === 0 ? (this.root[b] as number) : this.child(node, b);
      }
      node = next;
      if (node === 0) continue;
      if ((this.output[node] as number) !== -1 || (this.outLink[node] as number) !== -1) return this.text(node);
    }
    return undefined;
  }
}
