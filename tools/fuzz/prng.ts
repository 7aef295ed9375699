/**
 * A small deterministic pseudo-random generator for the fuzzer: the same seed always gives the
 * same sequence, on every machine, so a failing input can be rebuilt from its seed.
 *
 * The generator is the 32-bit "mulberry" construction (a Weyl sequence passed through a
 * multiply-xorshift mixer): tiny state, good enough statistics for choosing mutations, and no
 * floating-point state that could differ between engines.
 *
 * @module
 */

/** Deterministic 32-bit pseudo-random numbers; see the module doc. */
export class Prng {
  #state: number;

  /** @param seed any integer (only its low 32 bits count) */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** The next 32-bit unsigned value. */
  u32(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A uniform integer in `[0, n)`; `n` must be a positive integer below 2^32. */
  int(n: number): number {
    if (!(n >= 1 && n <= 0x100000000 && Number.isInteger(n))) {
      throw new RangeError(`Cannot draw a number below ${n}: need an integer in [1, 2^32]`);
    }
    // Rejection sampling keeps the draw exactly uniform.
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const v = this.u32();
      if (v < limit) return v % n;
    }
  }

  /** A uniform integer in `[lo, hi]`. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** `true` with probability `p` (in steps of 2^-32). */
  chance(p: number): boolean {
    return this.u32() < p * 0x100000000;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("Cannot pick from an empty list");
    return items[this.int(items.length)];
  }

  /** An index chosen with the given (non-negative) weights. */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((s, w) => s + w, 0);
    if (!(total > 0)) throw new RangeError("Cannot choose by weight: the weights sum to 0");
    let x = (this.u32() / 0x100000000) * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) return i;
    }
    return weights.length - 1;
  }
}

/** Derive the seed of input number `index` of a round started with `seed` (stable). */
export function inputSeed(seed: number, index: number): number {
  const p = new Prng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  p.u32();
  return p.u32();
}
