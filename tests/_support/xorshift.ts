/**
 * Test helper: Marsaglia's 32-bit xorshift, a deterministic stream of unsigned 32-bit values
 * for random test inputs that are the same on every run.
 *
 * @module
 */

/** A generator of unsigned 32-bit values from `seed` (0 is replaced by 1). */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>>= 0);
  };
}
