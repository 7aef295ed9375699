import assert from "node:assert/strict";
import { xorshift32 } from "../../tests/_support/xorshift.ts";
import { hasReference, referenceFiles } from "../../tests/_support/reference_files.ts";
import {
  fixedScaled,
  formatF,
  formatFixed,
  formatG7,
  G7_MAX_LEN,
  g7Into,
  NEG_NAN,
} from "./printf.ts";

const assertEquals = (a: unknown, b: unknown, msg?: string) => assert.deepEqual(a, b, msg);

// ---------------------------------------------------------------------------------------------
// Exact reference (BigInt arithmetic on the exact binary value, ties to even), independent of
// the fast path.

/** `x = sign · m · 2^e` exactly. */
function decompose(x: number): { neg: boolean; m: bigint; e: number } {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const hi = dv.getUint32(0), lo = dv.getUint32(4);
  const neg = hi >>> 31 === 1;
  const bexp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) {
    e = -1074;
  } else {
    m |= 1n << 52n;
    e = bexp - 1075;
  }
  return { neg, m, e };
}

/** `num / den` rounded to an integer, ties to even. */
function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den, r = num % den;
  const twice = 2n * r;
  if (twice > den || (twice === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

function exactFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x < 0 ? "-inf" : "inf";
  const { neg, m, e } = decompose(x);
  const scale = 10n ** BigInt(digits);
  const q = e >= 0 ? (m << BigInt(e)) * scale : roundHalfEven(m * scale, 1n << BigInt(-e));
  let t = q.toString();
  if (digits > 0) {
    t = t.padStart(digits + 1, "0");
    t = t.slice(0, t.length - digits) + "." + t.slice(t.length - digits);
  }
  return (neg ? "-" : "") + t;
}

function exactG7(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x < 0 ? "-inf" : "inf";
  const { neg, m, e } = decompose(x);
  if (m === 0n) return neg ? "-0" : "0";
  // value = num / den
  const num = e >= 0 ? m << BigInt(e) : m;
  const den = e >= 0 ? 1n : 1n << BigInt(-e);
  // decimal exponent E: 10^E <= value < 10^(E+1)
  let E = Math.floor(Math.log10(Math.abs(x)));
  const ge = (k: number) => k >= 0 ? num >= den * 10n ** BigInt(k) : num * 10n ** BigInt(-k) >= den;
  while (!ge(E)) E--;
  while (ge(E + 1)) E++;
  const sh = 6 - E;
  let q = sh >= 0
    ? roundHalfEven(num * 10n ** BigInt(sh), den)
    : roundHalfEven(num, den * 10n ** BigInt(-sh));
  if (q === 10000000n) {
    q = 1000000n;
    E++;
  }
  const digits = q.toString(); // 7 digits
  let out: string;
  if (E < -4 || E >= 7) {
    const frac = digits.slice(1).replace(/0+$/, "");
    const ae = Math.abs(E);
    out = digits[0] + (frac ? "." + frac : "") + "e" + (E < 0 ? "-" : "+") +
      (ae < 10 ? "0" : "") + ae;
  } else {
    // fixed with 6 - E decimals
    const all = E >= 0 ? digits : "0".repeat(-E) + digits;
    const intLen = E >= 0 ? E + 1 : 1;
    const intPart = all.slice(0, intLen);
    const frac = all.slice(intLen).replace(/0+$/, "");
    out = intPart + (frac ? "." + frac : "");
  }
  return (neg ? "-" : "") + out;
}

// ---------------------------------------------------------------------------------------------
// Random inputs (deterministic xorshift).

const rng = xorshift32;

function randomFloat32(next: () => number): number {
  const dv = new DataView(new ArrayBuffer(4));
  for (;;) {
    dv.setUint32(0, next());
    const f = dv.getFloat32(0);
    if (Number.isFinite(f)) return f;
  }
}

function randomDouble(next: () => number): number {
  const dv = new DataView(new ArrayBuffer(8));
  for (;;) {
    dv.setUint32(0, next());
    dv.setUint32(4, next());
    const f = dv.getFloat64(0);
    if (Number.isFinite(f)) return f;
  }
}

// ---------------------------------------------------------------------------------------------

Deno.test("formatG7()", async (t) => {
  await t.step("formats the tutorial values", () => {
    for (
      const s of [
        "13.52649",
        "0.05227569",
        "0.0004691654",
        "-0.006369427",
        "1222.437",
        "3.804232",
        "1.5",
        "201.0598",
        "28",
        "0.5",
      ]
    ) {
      assert.equal(formatG7(Math.fround(Number(s))), s);
    }
  });

  await t.step("handles zero, infinities and NaN", () => {
    assert.equal(formatG7(0), "0");
    assert.equal(formatG7(-0), "-0");
    assert.equal(formatG7(Infinity), "inf");
    assert.equal(formatG7(-Infinity), "-inf");
    assert.equal(formatG7(NaN), "nan");
    assert.equal(formatG7(NEG_NAN), "-nan");
    const dv = new DataView(new ArrayBuffer(4));
    dv.setUint32(0, 0xffc00000); // float32 -nan
    assert.equal(formatG7(dv.getFloat32(0)), "-nan");
  });

  await t.step("rounds exact ties to even", () => {
    assert.equal(formatG7(Math.fround(1048576.5)), "1048576");
    assert.equal(formatG7(Math.fround(1048577.5)), "1048578");
    assert.equal(formatG7(Math.fround(-1048576.5)), "-1048576");
    assert.equal(formatG7(10000005), "1e+07");
    assert.equal(formatG7(10000015), "1.000002e+07");
    assert.equal(formatG7(10000025), "1.000002e+07");
    assert.equal(formatG7(-10000035), "-1.000004e+07");
    assert.equal(formatG7(123456.25), "123456.2");
    assert.equal(formatG7(123456.75), "123456.8");
    assert.equal(formatG7(0.12345625), "0.1234563"); // not a tie: the double is above
    assert.equal(formatG7(Math.fround(2.0000005)), "2"); // 2.00000047… rounds down
    assert.equal(formatG7(Math.fround(2.5) * 1e6 + 0.5), "2500000"); // tie
    assert.equal(formatG7(8.5e-3 / 1e3), "8.5e-06");
  });

  await t.step("switches to exponent form by the rounded exponent", () => {
    assert.equal(formatG7(9999999), "9999999");
    assert.equal(formatG7(Math.fround(9999999.4)), "9999999");
    assert.equal(formatG7(Math.fround(9999999.6)), "1e+07"); // the float is 10000000
    assert.equal(formatG7(9999999.5), "1e+07");
    assert.equal(formatG7(9999999.49), "9999999");
    assert.equal(formatG7(10000000), "1e+07");
    assert.equal(formatG7(12345678), "1.234568e+07");
    assert.equal(formatG7(Math.fround(0.0001)), "0.0001");
    assert.equal(formatG7(Math.fround(0.00001)), "1e-05");
    assert.equal(formatG7(Math.fround(0.00012345678)), "0.0001234568");
    assert.equal(formatG7(Math.fround(0.000099999999)), "0.0001");
    assert.equal(formatG7(Math.fround(1e-30)), "1e-30");
    assert.equal(formatG7(Math.fround(3.4028235e38)), "3.402823e+38");
    assert.equal(formatG7(1e300), "1e+300");
    assert.equal(formatG7(5e-324), "4.940656e-324");
    assert.equal(formatG7(Math.fround(1.4e-45)), "1.401298e-45");
  });

  await t.step("agrees with the exact reference on random float32 values", () => {
    const next = rng(12345);
    for (let i = 0; i < 100000; i++) {
      const f = randomFloat32(next);
      assert.equal(formatG7(f), exactG7(f), `value ${f}`);
    }
  });

  await t.step("agrees with the exact reference on random doubles", () => {
    const next = rng(777);
    for (let i = 0; i < 30000; i++) {
      const f = randomDouble(next);
      assert.equal(formatG7(f), exactG7(f), `value ${f}`);
    }
  });

  await t.step("agrees with the exact reference on ties and near-ties", () => {
    const next = rng(99);
    for (let i = 0; i < 30000; i++) {
      // (k + 0.5) · 10^p for 7-digit k, and neighbouring float32 values
      const k = 1000000 + (next() % 9000000);
      const p = (next() % 16) - 10;
      const v = (k + 0.5) * 10 ** p;
      for (const f of [v, Math.fround(v), -v, v * (1 + 2 ** -52), v * (1 - 2 ** -52)]) {
        assert.equal(formatG7(f), exactG7(f), `value ${f}`);
      }
    }
    // small integers and halves (typical averages)
    for (let i = 0; i < 40000; i++) {
      const f = i / 2, g = i / 4 + 1e6, h = i * 2.5 + 1e7;
      assert.equal(formatG7(f), exactG7(f), `value ${f}`);
      assert.equal(formatG7(g), exactG7(g), `value ${g}`);
      assert.equal(formatG7(h), exactG7(h), `value ${h}`);
    }
  });
});

Deno.test("formatFixed()", async (t) => {
  await t.step("rounds exact ties to even", () => {
    assert.equal(formatFixed(0.5, 0), "0");
    assert.equal(formatFixed(1.5, 0), "2");
    assert.equal(formatFixed(2.5, 0), "2");
    assert.equal(formatFixed(-2.5, 0), "-2");
    assert.equal(formatFixed(-0.5, 0), "-0");
    assert.equal(formatFixed(0.125, 2), "0.12");
    assert.equal(formatFixed(0.375, 2), "0.38");
    assert.equal(formatFixed(1.0000000005, 9), "1.000000001"); // not a tie (not a double)
    assert.equal(formatFixed(2 ** -10, 9), "0.000976562"); // 0.0009765625 exactly
    assert.equal(formatFixed(3 * 2 ** -10, 9), "0.002929688"); // 0.0029296875 exactly
  });

  await t.step("rounds the exact binary value", () => {
    assert.equal(formatFixed(65.535, 2), "65.53");
    assert.equal(formatFixed(1.005, 2), "1.00");
    assert.equal(formatFixed(0.0000005, 6), "0.000000");
    assert.equal(formatFixed(100 * 590 / 1110, 2), "53.15");
  });

  await t.step("keeps the sign of negative zero results", () => {
    assert.equal(formatFixed(-0, 2), "-0.00");
    assert.equal(formatFixed(0, 2), "0.00");
    assert.equal(formatFixed(-0.001, 2), "-0.00");
    assert.equal(formatFixed(-0.004, 0), "-0");
  });

  await t.step("prints big values without exponent", () => {
    assert.equal(formatFixed(1e21, 0), "1000000000000000000000");
    assert.equal(formatFixed(-1e21, 2), "-1000000000000000000000.00");
    assert.equal(formatFixed(2 ** 80, 1), "1208925819614629174706176.0");
    assert.equal(
      formatFixed(Number.MAX_VALUE, 0),
      (2n ** 1024n - 2n ** 971n).toString(),
    );
    assert.equal(formatFixed(999999999999999900000, 3), "999999999999999868928.000");
  });

  await t.step("prints inf and nan", () => {
    assert.equal(formatFixed(Infinity, 2), "inf");
    assert.equal(formatFixed(-Infinity, 2), "-inf");
    assert.equal(formatFixed(NaN, 2), "nan");
    assert.equal(formatFixed(NEG_NAN, 2), "-nan");
  });

  await t.step("rejects bad digit counts", () => {
    assert.throws(() => formatFixed(1, -1), RangeError);
    assert.throws(() => formatFixed(1, 1.5), RangeError);
    assert.throws(() => formatFixed(1, 101), RangeError);
  });

  await t.step("formatF() prints 6 decimals", () => {
    assert.equal(formatF(0.5), "0.500000");
    assert.equal(formatF(0.0000025), "0.000003"); // 2.50000000000000010…e-6, above the tie
    assert.equal(formatF(2 ** -21), "0.000000"); // 4.76837158203125e-7
    assert.equal(formatF(-1.5), "-1.500000");
  });

  await t.step("agrees with the exact reference on random values", () => {
    const next = rng(4242);
    const dv = new DataView(new ArrayBuffer(8));
    for (let i = 0; i < 60000; i++) {
      const digits = next() % 10;
      // random doubles with exponents around the interesting range
      dv.setUint32(
        0,
        ((next() % 200) + 1023 - 100) << 20 | (next() & 0xfffff) | (next() & 1) << 31,
      );
      dv.setUint32(4, next());
      const f = dv.getFloat64(0);
      assert.equal(formatFixed(f, digits), exactFixed(f, digits), `value ${f}, ${digits} digits`);
    }
  });

  await t.step("agrees with the exact reference on ties and short binary fractions", () => {
    const next = rng(31337);
    for (let i = 0; i < 60000; i++) {
      const digits = next() % 10;
      const bits = next() % 40;
      const f = (next() * 2 ** -bits) * (next() & 1 ? -1 : 1);
      assert.equal(formatFixed(f, digits), exactFixed(f, digits), `value ${f}, ${digits} digits`);
    }
    for (let d = 0; d <= 9; d++) {
      for (let k = 0; k < 2000; k++) {
        const f = (k + 0.5) * 2 ** -(d + 1) * 2; // halves of various scales
        assert.equal(formatFixed(f, d), exactFixed(f, d), `value ${f}, ${d} digits`);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Every F column value of the reference flow files must be reproduced.

function referenceFlowFiles(): string[] {
  return referenceFiles("_flows.txt");
}

/** Adjacent float32 values (the text has 7 digits; the float may need up to 9). */
function float32Neighbours(f: number): number[] {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setFloat32(0, f);
  const u = dv.getUint32(0);
  const out: number[] = [];
  for (const d of [-1, 1, -2, 2]) {
    dv.setUint32(0, u + d);
    out.push(dv.getFloat32(0));
  }
  return out;
}

Deno.test({
  name: "formatG7() reproduces every F column of the reference flow files",
  ignore: !hasReference(),
  fn() {
    let checked = 0;
    for (const flows of referenceFlowFiles()) {
      const headers = flows.replace(/_flows\.txt$/, "_headers.txt");
      let hdr: string;
      try {
        hdr = Deno.readTextFileSync(headers);
      } catch {
        continue;
      }
      const fCols: number[] = [];
      for (const line of hdr.split("\n")) {
        const c = line.split("\t");
        if (/^\d+$/.test(c[0]) && c[1] === "F") fCols.push(+c[0] - 1);
      }
      if (fCols.length === 0) continue;
      const lines = Deno.readTextFileSync(flows).split("\n");
      for (const line of lines) {
        if (line === "" || line[0] === "%") continue;
        const c = line.split("\t");
        for (const k of fCols) {
          const text = c[k];
          const f = Math.fround(Number(text));
          if (formatG7(f) === text) {
            checked++;
            continue;
          }
          const ok = float32Neighbours(f).some((g) => formatG7(g) === text);
          assert.ok(ok, `${flows}: column ${k + 1} value "${text}" gives "${formatG7(f)}"`);
          checked++;
        }
      }
    }
    assert.ok(checked > 1000, `only ${checked} values checked`);
  },
});

if (!hasReference()) {
  console.warn("printf_test.ts: ../shared/reference not found, reference round-trip skipped");
}

Deno.test("fixedScaled agrees with formatFixed wherever it answers", () => {
  const next = xorshift32(987654321);
  let answered = 0;
  for (let i = 0; i < 200000; i++) {
    const r = next();
    const digits = r % 10;
    // Seconds-and-nanoseconds values, small ratios, halves and exact decimal-looking values.
    const x = i % 4 === 0
      ? (r % 100000) + (next() % 1000000000) / 1e9
      : i % 4 === 1
      ? r / 2 ** (20 + (i % 30))
      : i % 4 === 2
      ? (r % 20000) / 8
      : (r % 1000000) / 1e6;
    const k = fixedScaled(x, digits);
    if (k < 0) continue;
    answered++;
    const scale = 10 ** digits;
    const ip = Math.floor(k / scale);
    const text = digits ? `${ip}.${String(k - ip * scale).padStart(digits, "0")}` : `${ip}`;
    assertEquals(text, formatFixed(x, digits), `x=${x} digits=${digits}`);
  }
  // The fast path must answer for most values, or it would be no fast path.
  assertEquals(answered > 180000, true, `answered ${answered}`);
});

Deno.test("fixedScaled declines negative values, -0, NaN, ties and huge values", () => {
  assertEquals(fixedScaled(-1, 3), -1);
  assertEquals(fixedScaled(-0, 3), -1);
  assertEquals(fixedScaled(NaN, 3), -1);
  assertEquals(fixedScaled(0.125, 2), -1);
  assertEquals(fixedScaled(1e10, 9), -1);
  assertEquals(fixedScaled(0, 9), 0);
});

Deno.test("g7Into() writes formatG7's text at the position and returns the end", () => {
  const out = new Uint8Array(64).fill(120); // "x"
  let pos = 3;
  for (const x of [Math.fround(13.52649), -0, 1e-7, -12345678, NEG_NAN, 28]) {
    pos = g7Into(x, out, pos);
    out[pos++] = 59; // ';'
  }
  assert.equal(
    new TextDecoder().decode(out.subarray(0, pos + 1)),
    "xxx13.52649;-0;1e-07;-1.234568e+07;-nan;28;x",
  );
});

Deno.test("g7Into() never writes more than G7_MAX_LEN bytes", () => {
  const out = new Uint8Array(64);
  for (const x of [-Number.MIN_VALUE, -1.2345678e-308, -Number.MAX_VALUE, -9999999.5, -0.0001]) {
    assert.ok(g7Into(x, out, 0) <= G7_MAX_LEN, String(x));
  }
});
