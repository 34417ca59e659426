/** One argument as a body processor produced it: byte strings, already decoded. */
export interface ArgPair {
  readonly name: string;
  readonly value: string;
}
