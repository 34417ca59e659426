/**
 * Aho-Corasick automaton for @pm and @pmFromFile: all phrases are found in one
 * pass over the input. Matching is case-insensitive for ASCII letters only (C
 * tolower, as ModSecurity's acmp), and, like acmp_process_quick, stops at the
 * first position where some phrase ends. The text it reports is acmp's: the
 * trie node's own text, i.e. the path as spelled by the first phrase that
 * created the node. For a phrase found through a failure link (`ab` inside
 * `xab` when `xabc` is also a phrase) that is the longer path (`xab`), as in v2.
 *
 * Layout is flat typed arrays sized from the phrases' total length: the root
 * has a 256-entry table, other nodes a first-child / next-sibling list (most
 * trie nodes have one child), plus failure links and a flag for nodes where a
 * phrase ends. Building is linear in the phrases' length (CRS's largest data
 * file, php-errors.data, 45,000 nodes, builds in a few ms).
 *
 * Matching uses a DFA over byte classes (one table lookup per input byte)
 * whose transitions are filled in lazily: an unknown entry is resolved by
 * walking failure links once and memoized along the way. The table is
 * allocated on the first match, so an automaton that never runs (response
 * rules with response body access off) costs no table, and no request pays
 * for a whole-table build: a transition costs at most one failure-chain walk,
 * as in a plain Aho-Corasick scan, and every later visit is a lookup.
 */

/** Largest DFA table, in entries (2 bytes each); above it matching uses the sparse automaton. */
const MAX_DFA_ENTRIES = 4_000_000;
/** Node ids must fit the DFA's Uint16 entries, with one value left for "not resolved yet". */
const MAX_DFA_NODES = 0xffff;

/** Byte → the byte @pm compares: ASCII letters lower-cased (C tolower), every other byte as it is. */
export const FOLD = new Uint8Array(256).map((_, c) => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c));

export class AhoCorasick {
  readonly phrases: readonly string[];
  /** Number of trie nodes (the root is node 0). */
  readonly nodeCount: number;
  /** Root transitions by folded byte: the depth-1 node, or 0 (stay at the root). */
  private readonly root = new Int32Array(256);
  /** Children as linked lists: first child, next sibling (0 = none; the root is nobody's child). */
  private readonly firstChild: Int32Array;
  private readonly nextSibling: Int32Array;
  /** Folded byte on the edge into the node. */
  private readonly edgeByte: Uint8Array;
  private readonly fail: Int32Array;
  /** 1 when reaching the node means a phrase ends (own or through failure links). */
  private readonly hit: Uint8Array;
  /** hit, plus 1 at index nodeCount: the DFA's marker for an entry not resolved yet. */
  private readonly stop: Uint8Array;
  /** Phrase that created the node, and the node's depth: its text is that phrase's prefix. */
  private readonly creator: Int32Array;
  private readonly depth: Int32Array;
  /** Byte → class for the DFA (ASCII case folded; bytes in no phrase share class 0). */
  private readonly classOf = new Uint8Array(256);
  /** Class → the folded byte it stands for (-1 for class 0). */
  private readonly byteOfClass: Int32Array;
  private readonly classes: number;
  private readonly useDfa: boolean;
  /** next node = dfa[node * classes + class], or nodeCount when not resolved yet; allocated on the first match. */
  private dfa: Uint16Array | undefined;

  /** `maxDfaEntries` bounds the DFA table (0 keeps the sparse automaton only). */
  constructor(phrases: readonly string[], maxDfaEntries = MAX_DFA_ENTRIES) {
    this.phrases = phrases;
    let capacity = 1;
    for (const phrase of phrases) capacity += phrase.length;
    const firstChild = new Int32Array(capacity);
    const nextSibling = new Int32Array(capacity);
    const edgeByte = new Uint8Array(capacity);
    const creator = new Int32Array(capacity).fill(-1);
    const depth = new Int32Array(capacity);
    const ends = new Uint8Array(capacity);
    const root = this.root;
    const used = new Uint8Array(256);
    // 1. The trie: nodes numbered in creation order, so a node's creator is the first phrase through it.
    let count = 1;
    for (let index = 0; index < phrases.length; index++) {
      const phrase = phrases[index] as string;
      let node = 0;
      for (let i = 0; i < phrase.length; i++) {
        const b = FOLD[phrase.charCodeAt(i) & 0xff] as number;
        let next: number;
        if (node === 0) {
          next = root[b] as number;
        } else {
          next = firstChild[node] as number;
          while (next !== 0 && edgeByte[next] !== b) next = nextSibling[next] as number;
        }
        if (next === 0) {
          next = count++;
          edgeByte[next] = b;
          creator[next] = index;
          depth[next] = i + 1;
          used[b] = 1;
          if (node === 0) {
            root[b] = next;
          } else {
            nextSibling[next] = firstChild[node] as number;
            firstChild[node] = next;
          }
        }
        node = next;
      }
      if (phrase.length > 0) ends[node] = 1;
    }
    this.nodeCount = count;
    this.firstChild = firstChild.slice(0, count);
    this.nextSibling = nextSibling.slice(0, count);
    this.edgeByte = edgeByte.slice(0, count);
    this.creator = creator.slice(0, count);
    this.depth = depth.slice(0, count);
    // 2. Failure links, breadth first; a node hits when it or its failure target does.
    const fail = new Int32Array(count);
    const hit = ends.slice(0, count);
    const queue = new Int32Array(count);
    let tail = 0;
    for (let b = 0; b < 256; b++) if ((root[b] as number) !== 0) queue[tail++] = root[b] as number;
    for (let head = 0; head < tail; head++) {
      const node = queue[head] as number;
      if (hit[fail[node] as number] === 1) hit[node] = 1;
      for (let target = firstChild[node] as number; target !== 0; target = nextSibling[target] as number) {
        const b = edgeByte[target] as number;
        let f = fail[node] as number;
        let via = -1;
        for (;;) {
          via = f === 0 ? (root[b] as number) : this.childOf(f, b);
          if (via !== -1 || f === 0) break;
          f = fail[f] as number;
        }
        fail[target] = via === target ? 0 : via;
        queue[tail++] = target;
      }
    }
    this.fail = fail;
    this.hit = hit;
    this.stop = new Uint8Array(count + 1);
    this.stop.set(hit);
    this.stop[count] = 1;
    // 3. Byte classes for the DFA (letters share their lower-case class).
    let k = 1;
    for (let b = 0; b < 256; b++) if (used[b] === 1) this.classOf[b] = k++;
    for (let c = 0x41; c <= 0x5a; c++) this.classOf[c] = this.classOf[c + 0x20] as number;
    this.byteOfClass = new Int32Array(k).fill(-1);
    for (let b = 0; b < 256; b++) if (used[b] === 1) this.byteOfClass[this.classOf[b] as number] = b;
    this.classes = k;
    this.useDfa = count < MAX_DFA_NODES && count * k <= maxDfaEntries;
  }

  /** The child of a non-root node on folded byte b, or -1. */
  private childOf(node: number, b: number): number {
    for (let c = this.firstChild[node] as number; c !== 0; c = this.nextSibling[c] as number) {
      if (this.edgeByte[c] === b) return c;
    }
    return -1;
  }

  private text(node: number): string {
    return (this.phrases[this.creator[node] as number] as string).slice(0, this.depth[node] as number);
  }

  private allocateDfa(): Uint16Array {
    const k = this.classes;
    const dfa = new Uint16Array(this.nodeCount * k).fill(this.nodeCount);
    dfa[0] = 0;
    for (let cls = 1; cls < k; cls++) dfa[cls] = this.root[this.byteOfClass[cls] as number] as number;
    for (let node = 1; node < this.nodeCount; node++) dfa[node * k] = 0;
    this.dfa = dfa;
    return dfa;
  }

  /**
   * The DFA transition from node on a class not resolved yet: the node's child,
   * else its failure target's transition. Every node passed on the failure
   * chain gets the same answer, so it is stored for all of them.
   */
  private resolve(dfa: Uint16Array, node: number, cls: number): number {
    const k = this.classes;
    const unknown = this.nodeCount;
    const b = this.byteOfClass[cls] as number;
    let n = node;
    let target: number;
    for (;;) {
      const known = dfa[n * k + cls] as number;
      if (known !== unknown) {
        target = known;
        break;
      }
      const child = this.childOf(n, b);
      if (child !== -1) {
        target = child;
        break;
      }
      n = this.fail[n] as number; // the root's row is complete, so this ends
    }
    for (let m = node; m !== n; m = this.fail[m] as number) dfa[m * k + cls] = target;
    dfa[n * k + cls] = target;
    return target;
  }

  /** The text of the first match (earliest end), as acmp reports it, or undefined. */
  firstMatch(input: string): string | undefined {
    const hit = this.hit;
    if (this.useDfa) {
      const dfa = this.dfa ?? this.allocateDfa();
      const k = this.classes;
      const classOf = this.classOf;
      const stop = this.stop;
      const unknown = this.nodeCount;
      const n = input.length;
      let node = 0;
      let i = 0;
      while (i < n) {
        let cls = 0;
        let next = 0;
        // No call in this loop (a call in it made matching 1.5x slower): it stops at a hit or an unresolved entry.
        for (; i < n; i++) {
          cls = classOf[input.charCodeAt(i) & 0xff] as number;
          next = dfa[node * k + cls] as number;
          if (stop[next] === 1) break;
          node = next;
        }
        if (i === n) return undefined;
        node = next === unknown ? this.resolve(dfa, node, cls) : next;
        if (hit[node] === 1) return this.text(node);
        i++;
      }
      return undefined;
    }
    let node = 0;
    const n = input.length;
    for (let i = 0; i < n; i++) {
      const b = FOLD[input.charCodeAt(i) & 0xff] as number;
      let next = node === 0 ? (this.root[b] as number) : this.childOf(node, b);
      while (next === -1) {
        node = this.fail[node] as number;
        next = node === 0 ? (this.root[b] as number) : this.childOf(node, b);
      }
      node = next;
      if (hit[node] === 1) return this.text(node);
    }
    return undefined;
  }
}
