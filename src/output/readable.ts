/**
 * T2's human-readable number suffix (`t2_conv_readable_num`, `H(x)` in the report).
 *
 * @module
 */

import { formatFixed } from "./printf.ts";

const UNITS = ".KMGTPEZY";
/** The C divisors `1, 1e3, …, 1e24` (double literals, the same as JavaScript's). */
const FACTORS = [1, 1e3, 1e6, 1e9, 1e12, 1e15, 1e18, 1e21, 1e24];
const TWO32 = 4294967296;
const TWO64 = 18446744073709551616;

/**
 * T2's human-readable suffix of a count: `""` below 1024, otherwise `" (%.2f %c<unit>)"` of
 * `n / 10^(3·i)` with `i = min(floor(log2(n)) div 10, 8)` and the letter `K M G T P E Z Y` for
 * i = 1 … 8. The threshold is binary but the divisor decimal: 1000 → `""`, 1024 → `" (1.02 K)"`,
 * 1000000 → `" (1000.00 K)"`.
 *
 * `n` is converted as C converts it to `uint64_t`: truncated toward zero. Negative values (for which
 * that conversion is undefined in C) are clamped to 0 and values ≥ 2^64 to 2^64; NaN gives `""`.
 *
 * @param n The number.
 * @param unit Text appended directly after the letter, e.g. `"b/s"`.
 * @returns The suffix, with its leading space, or `""`.
 *
 * @example Usage
 * ```ts
 * import { readableSuffix } from "./readable.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(readableSuffix(1023), "");
 * assert.equal(readableSuffix(564228), " (564.23 K)");
 * assert.equal(readableSuffix(270842000, "b/s"), " (270.84 Mb/s)");
 * ```
 */
export function readableSuffix(n: number, unit = ""): string {
  if (!(n >= 1024)) return ""; // also NaN and negatives
  n = n >= TWO64 ? TWO64 : Math.trunc(n);
  // floor(log2(n)), exactly (n is an integer >= 1024)
  let lg: number;
  if (n < TWO32) {
    lg = 31 - Math.clz32(n);
  } else {
    const hi = Math.floor(n / TWO32); // exact: division by a power of two
    lg = hi >= TWO32 ? 64 : 63 - Math.clz32(hi);
  }
  let i = (lg / 10) | 0;
  if (i > 8) i = 8;
  return " (" + formatFixed(n / FACTORS[i], 2) + " " + UNITS[i] + unit + ")";
}
