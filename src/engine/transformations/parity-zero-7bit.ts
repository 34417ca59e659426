/**
 * t:parityZero7bit
 *
 * Description: Clears the high bit of every byte (ModSecurity v2).
 * Arguments: none.
 * Example: SecRule ARGS "@rx select" "id:1,phase:2,t:none,t:parityZero7bit,deny"
 */
import type { Transformation } from './types.ts';

/** Whether the byte (all 8 bits, as v2 computes it) has an odd number of set bits. */
export function oddParity(b: number): boolean {
  const x = (b ^ (b >> 4)) & 0xf;
  return ((0x6996 >> x) & 1) === 1;
}

/** Applies `f` to every byte; returns the input itself when nothing changed. */
export function mapBytes(input: string, f: (b: number) => number): string {
  const buf = Buffer.from(input, 'latin1');
  let changed = false;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i] as number;
    const m = f(b);
    if (m !== b) {
      buf[i] = m;
      changed = true;
    }
  }
  return changed ? buf.toString('latin1') : input;
}

export const parityZero7bit: Transformation = (input) => mapBytes(input, (b) => b & 0x7f);
