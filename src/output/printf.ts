/**
 * Exact re-implementations of the glibc `printf` conversions T2 uses for floating point values:
 * `%.7g` (float columns, {@linkcode formatG7}) and `%.Nf` ({@linkcode formatFixed},
 * {@linkcode formatF}).
 *
 * glibc rounds the exact binary value of the double and breaks exact ties to even.
 * `Number.prototype.toExponential` and `Number.prototype.toFixed` also round the exact binary
 * value, but break exact ties away from zero. An exact tie at D decimals requires
 * `|x| * 2^(D+1)` to be an odd integer (scaling by a power of two is exact), so the fast path
 * is the JavaScript conversion plus that one multiplication; when it shows a tie, the last
 * digit (rounded away from zero, hence odd when it is wrong) is decremented.
 *
 * @module
 */

/** `2^0 … 2^110`, exact. */
const POW2: Float64Array = new Float64Array(111);
/** `5 * 10^(k-1)` for k = 1 … 22, exact (index k). */
const HALF_POW10: Float64Array = new Float64Array(23);
{
  let p = 1;
  for (let i = 0; i < POW2.length; i++, p *= 2) POW2[i] = p;
  let h = 5;
  for (let k = 1; k < HALF_POW10.length; k++, h *= 10) HALF_POW10[k] = h;
}

/** `ZEROS[k]` is `k` zero characters. */
const ZEROS: string[] = [];
for (let i = 0, z = ""; i < 400; i++, z += "0") ZEROS.push(z);

const NAN_F64 = new Float64Array(1);
const NAN_U32 = new Uint32Array(NAN_F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * A NaN with the sign bit set, as the x86-64 C code produces for `0.0 / 0.0` or `sqrt(-1)`
 * (glibc prints it as `-nan`). JavaScript's own `0 / 0` is a positive NaN (`nan`).
 *
 * Note that a JavaScript engine may drop the sign of a NaN in arithmetic (`-NaN` is not
 * guaranteed to be negative); store and pass the value unchanged.
 */
export const NEG_NAN: number = (() => {
  NAN_U32[HI] = 0xfff80000;
  NAN_U32[1 - HI] = 0;
  return NAN_F64[0];
})();

/** glibc text of a NaN: `-nan` when the sign bit is set. */
function nanText(x: number): string {
  NAN_F64[0] = x;
  return NAN_U32[HI] >>> 31 ? "-nan" : "nan";
}

/**
 * C `printf("%.7g", (double)f)` as printed by glibc, for a float32 value widened to a double
 * (pass `Math.fround` results or `DataView.getFloat32` values; any double is formatted exactly).
 *
 * Seven significant digits, rounded from the exact binary value with ties to even. With X the
 * decimal exponent after rounding, `d.dddddde±XX` if X < -4 or X >= 7, otherwise fixed notation;
 * trailing zeros and a trailing `.` are removed. `0`, `-0`, `inf`, `-inf`, `nan`, `-nan`.
 *
 * @param x The value.
 * @returns The text glibc prints.
 *
 * @example Usage
 * ```ts
 * import { formatG7 } from "./printf.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatG7(Math.fround(13.52649)), "13.52649");
 * assert.equal(formatG7(Math.fround(0.0004691654)), "0.0004691654");
 * assert.equal(formatG7(10000005), "1e+07"); // exact tie, rounded to even
 * assert.equal(formatG7(Math.fround(1048576.5)), "1048576");
 * ```
 */
export function formatG7(x: number): string {
  const n = g7Into(x, G7_SCRATCH, 0);
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(G7_SCRATCH[i]);
  return s;
}

/** Longest `%.7g` text: `-1.234567e-308`. */
export const G7_MAX_LEN = 14;

const G7_SCRATCH = new Uint8Array(G7_MAX_LEN);
/** Significant digits of the value being written, most significant first. */
const G7_DIGITS = new Uint8Array(7);

/**
 * Write {@linkcode formatG7}'s text of `x` as ASCII bytes into `out` at `pos` (room for
 * {@linkcode G7_MAX_LEN} bytes needed); returns the position after it. Writing bytes instead of
 * building strings keeps the flow file's formatting free of allocations but one.
 *
 * @example Usage
 * ```ts
 * import { g7Into } from "./printf.ts";
 * import assert from "node:assert/strict";
 *
 * const out = new Uint8Array(16);
 * const end = g7Into(Math.fround(0.0004691654), out, 0);
 * assert.equal(new TextDecoder().decode(out.subarray(0, end)), "0.0004691654");
 * ```
 */
export function g7Into(x: number, out: Uint8Array, pos: number): number {
  if (x !== x) return asciiInto(nanText(x), out, pos);
  if (x === 0) return asciiInto(1 / x < 0 ? "-0" : "0", out, pos);
  if (x === Infinity) return asciiInto("inf", out, pos);
  if (x === -Infinity) return asciiInto("-inf", out, pos);
  const neg = x < 0;
  if (neg) out[pos++] = 45; // '-'
  const a = neg ? -x : x;
  // integers of up to 7 digits print as themselves
  if (a < 1e7 && Math.trunc(a) === a) return digitsInto(a, out, pos);

  const s = a.toExponential(6); // d.dddddde±E
  // 7 significant digits as an integer
  let q = s.charCodeAt(0) - 48;
  for (let i = 2; i < 8; i++) q = q * 10 + s.charCodeAt(i) - 48;
  // exponent: s[8] === "e", s[9] is the sign
  let e = 0;
  for (let i = 10; i < s.length; i++) e = e * 10 + s.charCodeAt(i) - 48;
  if (s.charCodeAt(9) === 45) e = -e;

  // Exact tie check (the exponent of the unrounded value is e too: a rounding that carries into
  // a new decade starts from 9999999, odd, so its tie rounds up in glibc as well).
  if (q & 1) {
    if (e <= 6) {
      // tie iff a * 10^(6-e) * 2 is odd, iff a * 2^(7-e) is odd (impossible below e = -4)
      if (e >= -4 && (a * POW2[7 - e]) % 2 === 1) q--;
    } else if (e <= 28) {
      // tie iff a / (5 * 10^(e-7)) is an odd integer
      const h = HALF_POW10[e - 6];
      if (a % h === 0 && (a / h) % 2 === 1) q--;
    }
  }

  // q·10^(e-6) with its trailing zeros dropped: nd digits in G7_DIGITS.
  let nd = 7;
  while (q % 10 === 0) {
    q /= 10;
    nd--;
  }
  for (let i = nd - 1; i >= 0; i--) {
    G7_DIGITS[i] = 48 + (q % 10);
    q = (q - (q % 10)) / 10;
  }
  if (e < -4 || e >= 7) {
    out[pos++] = G7_DIGITS[0];
    if (nd > 1) {
      out[pos++] = 46; // '.'
      for (let i = 1; i < nd; i++) out[pos++] = G7_DIGITS[i];
    }
    out[pos++] = 101; // 'e'
    out[pos++] = e < 0 ? 45 : 43;
    const ae = e < 0 ? -e : e;
    if (ae < 10) out[pos++] = 48;
    return digitsInto(ae, out, pos);
  }
  if (e < 0) {
    out[pos++] = 48; // '0'
    out[pos++] = 46;
    for (let i = 1; i < -e; i++) out[pos++] = 48;
    for (let i = 0; i < nd; i++) out[pos++] = G7_DIGITS[i];
    return pos;
  }
  for (let i = 0; i < nd; i++) {
    if (i === e + 1) out[pos++] = 46;
    out[pos++] = G7_DIGITS[i];
  }
  for (let i = nd; i <= e; i++) out[pos++] = 48;
  return pos;
}

/** The decimal digits of a non-negative integer below 2^53. */
function digitsInto(v: number, out: Uint8Array, pos: number): number {
  let n = 1;
  for (let t = v; t >= 10; t = Math.floor(t / 10)) n++;
  for (let i = pos + n - 1; i >= pos; i--) {
    const d = v % 10;
    out[i] = 48 + d;
    v = (v - d) / 10;
  }
  return pos + n;
}

function asciiInto(text: string, out: Uint8Array, pos: number): number {
  for (let i = 0; i < text.length; i++) out[pos++] = text.charCodeAt(i);
  return pos;
}

/**
 * glibc `printf("%.*f", digits, x)`: fixed notation with `digits` decimals, rounded from the exact
 * binary value with ties to even; the sign is kept for negative zero and for negative values
 * that round to zero (`-0.00`); `inf`, `-inf`, `nan`, `-nan`; no exponent form for big values.
 *
 * @param x The value.
 * @param digits Number of decimals, 0 … 100.
 * @returns The text glibc prints.
 * @throws {RangeError} If `digits` is not an integer in 0 … 100.
 *
 * @example Usage
 * ```ts
 * import { formatFixed } from "./printf.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatFixed(0.125, 2), "0.12"); // exact tie, rounded to even
 * assert.equal(formatFixed(65.535, 2), "65.53"); // the double is below the tie
 * assert.equal(formatFixed(-0.001, 2), "-0.00");
 * assert.equal(formatFixed(1e21, 0), "1000000000000000000000");
 * ```
 */
export function formatFixed(x: number, digits: number): string {
  if (!(digits >= 0 && digits <= 100 && (digits | 0) === digits)) {
    throw new RangeError(`Cannot format number: digits "${digits}" is not an integer in 0..100`);
  }
  if (x !== x) return nanText(x);
  const a = x < 0 ? -x : x;
  if (a === Infinity) return x < 0 ? "-inf" : "inf";
  if (a >= 1e21) {
    // an integer; toFixed would switch to exponent notation
    const t = BigInt(x).toString();
    return digits === 0 ? t : t + "." + ZEROS[digits];
  }
  let s = x.toFixed(digits);
  if (x === 0) return 1 / x < 0 ? "-" + s : s;
  // exact tie iff a * 10^digits * 2 is odd, iff a * 2^(digits+1) is odd
  if ((a * POW2[digits + 1]) % 2 === 1) {
    const last = s.length - 1;
    const c = s.charCodeAt(last);
    if (c & 1) s = s.slice(0, last) + String.fromCharCode(c - 1);
  }
  return s;
}

/** `10^0 … 10^9`, exact. */
const POW10: Float64Array = new Float64Array([1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]);
/** Below 2^43 the product `x * 10^digits` is within 2^-10 of the exact value. */
const SCALED_LIMIT = 2 ** 43;

/**
 * `x * 10^digits` rounded as glibc's `%.<digits>f` rounds it (exact value, ties to even), for
 * writers that print digits without building a string; -1 when that cannot be decided
 * cheaply (negative or -0, NaN, too large, more than 9 digits, or too near a tie), in which
 * case use {@linkcode formatFixed}.
 *
 * The product is off from the exact value by at most 2^-10, so outside 0.49 … 0.51 its
 * fractional part rounds the same way as the exact value's.
 *
 * @param x The value.
 * @param digits Decimals, 0 … 9.
 * @returns The rounded scaled value, or -1.
 *
 * @example Usage
 * ```ts
 * import { fixedScaled } from "./printf.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(fixedScaled(1.5, 3), 1500);
 * assert.equal(fixedScaled(0.125, 2), -1); // an exact tie: formatFixed decides
 * ```
 */
export function fixedScaled(x: number, digits: number): number {
  if (!(x >= 0) || !(digits >= 0 && digits <= 9)) return -1;
  if (x === 0) return 1 / x < 0 ? -1 : 0;
  const p = x * POW10[digits];
  if (!(p < SCALED_LIMIT)) return -1;
  const k = Math.floor(p);
  const f = p - k;
  if (f > 0.49 && f < 0.51) return -1;
  return f > 0.5 ? k + 1 : k;
}

/**
 * glibc `printf("%f", x)`, i.e. {@linkcode formatFixed} with 6 decimals.
 *
 * @param x The value.
 * @returns The text glibc prints.
 *
 * @example Usage
 * ```ts
 * import { formatF } from "./printf.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatF(0.5), "0.500000");
 * assert.equal(formatF(0.0000005), "0.000000"); // the double is below the tie
 * ```
 */
export function formatF(x: number): string {
  return formatFixed(x, 6);
}
