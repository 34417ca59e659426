/**
 * A transformation (`t:name`) maps one value to another.
 *
 * Values are byte strings: every character is one byte (0x00–0xFF), as produced
 * by `Buffer.toString('latin1')`. This gives ModSecurity's byte semantics in
 * JavaScript strings (V8 stores them as compact one-byte strings).
 *
 * A transformation returns its input unchanged (the same string) when it has
 * nothing to do; callers compare with `===` to know whether it changed.
 */
export type Transformation = (input: string) => string;
