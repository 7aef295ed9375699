/**
 * jsonSink's text of `F`, `D` and `LD` values (spec/plugins/jsonSink.md §3.1): C `%.17Lg` of the
 * exact value, then `.0` appended when the text has neither `.` nor `e`, and leading zeros of
 * the exponent dropped (`e-05` → `e-5`).
 *
 * @module
 */

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * The JSON text T2 0.9.3 writes for a floating-point value (a float32 passed widened, as
 * `Math.fround` gives it, or a double).
 *
 * @param x The value.
 * @returns E.g. `0.02299799956381321`, `60.0`, `-1.0`, `6.9000001531094313e-5`; `nan.0`,
 * `-nan.0`, `inf.0`, `-inf.0` for non-finite values (T2 writes these, though they are not JSON).
 *
 * @example Usage
 * ```ts
 * import { jsonFloat } from "./json_number.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(jsonFloat(Math.fround(0.022998)), "0.02299799956381321");
 * assert.equal(jsonFloat(Math.fround(6.9e-05)), "6.9000001531094313e-5");
 * assert.equal(jsonFloat(-1), "-1.0");
 * ```
 */
export function jsonFloat(x: number): string {
  if (x !== x) {
    F64[0] = x;
    return U32[HI] >>> 31 ? "-nan.0" : "nan.0";
  }
  if (x === Infinity) return "inf.0";
  if (x === -Infinity) return "-inf.0";
  if (x === 0) return 1 / x < 0 ? "-0.0" : "0.0";
  const s = g17(x);
  return s.includes(".") || s.includes("e") ? s : s + ".0";
}

/** C `%.17g` of a finite non-zero double, exponent without leading zeros. */
function g17(x: number): string {
  const neg = x < 0;
  const digits = tieDigits(neg ? -x : x);
  let mant: string;
  let exp: number;
  if (digits === null) {
    // toPrecision rounds from the exact binary value; only exact ties need care (below).
    const p = (neg ? -x : x).toExponential(16);
    const e = p.indexOf("e");
    mant = p[0] + p.slice(2, e);
    exp = Number(p.slice(e + 1));
  } else {
    mant = digits.mant;
    exp = digits.exp;
  }
  const sign = neg ? "-" : "";
  if (exp < -4 || exp >= 17) {
    const frac = mant.slice(1).replace(/0+$/, "");
    return `${sign}${mant[0]}${frac ? "." + frac : ""}e${exp < 0 ? "-" : "+"}${Math.abs(exp)}`;
  }
  let text: string;
  if (exp >= 0) {
    const int = mant.slice(0, exp + 1);
    const frac = mant.slice(exp + 1).replace(/0+$/, "");
    text = frac ? `${int}.${frac}` : int;
  } else {
    text = ("0." + "0".repeat(-exp - 1) + mant).replace(/0+$/, "");
  }
  return sign + text;
}

/**
 * When the exact decimal value of `x` (> 0) has exactly 18 significant digits, the last being
 * 5, rounding to 17 digits is a tie: glibc rounds it to even, JavaScript's `toExponential`
 * away from zero. Returns the 17 digits rounded to even and the decimal exponent, or null when
 * `x` is no such tie.
 *
 * `x` = m·2^-k with m odd has the exact decimal digits of m·5^k; they end in 5 for k ≥ 1 and
 * number more than 18 for k > 26 (5^26 > 10^18 / 2), so only small k need the exact check.
 */
function tieDigits(x: number): { mant: string; exp: number } | null {
  F64[0] = x;
  const hi = U32[HI];
  const lo = U32[1 - HI];
  const biased = (hi >>> 20) & 0x7ff;
  let m = BigInt(hi & 0xfffff) * 0x100000000n + BigInt(lo);
  let k: number;
  if (biased === 0) k = 1074;
  else {
    m += 1n << 52n;
    k = 1075 - biased;
  }
  if (k <= 0 || k > 52 + 27) return null;
  while ((m & 1n) === 0n && k > 0) {
    m >>= 1n;
    k--;
  }
  if (k <= 0 || k > 26) return null;
  const exact = (m * 5n ** BigInt(k)).toString();
  if (exact.length !== 18) return null;
  // Value = exact · 10^-k; the first digit's exponent:
  let exp = exact.length - 1 - k;
  let mant17 = BigInt(exact.slice(0, 17));
  if (mant17 % 2n === 1n) mant17 += 1n;
  let mant = mant17.toString();
  if (mant.length > 17) {
    mant = mant.slice(0, 17);
    exp++;
  }
  return { mant, exp };
}
