import { formatFixed, formatG7, g7Into } from "./printf.ts";
import { xorshift32 } from "../../tests/_support/xorshift.ts";

/** Float32 values of the kinds T2 prints: averages, rates, small ratios, halves (tie checks). */
const FLOATS = new Float32Array(4096);
const DOUBLES = new Float64Array(4096);
{
  const next = xorshift32(12345);
  for (let i = 0; i < FLOATS.length; i++) {
    const r = next();
    switch (i & 3) {
      case 0:
        FLOATS[i] = (r % 100000) / 7; // averages
        break;
      case 1:
        FLOATS[i] = r / 1e3; // rates
        break;
      case 2:
        FLOATS[i] = (r % 2000) / 2 - 500; // halves, asymmetries
        break;
      default:
        FLOATS[i] = r / 2 ** 40; // small IATs
    }
    DOUBLES[i] = 1e9 + r / 1e3 + (r & 0xff) / 1e9; // timestamps with %.9f
  }
}

let sink = 0;

Deno.bench("formatG7() float32 values", { group: "printf", baseline: true }, () => {
  for (let i = 0; i < FLOATS.length; i++) sink += formatG7(FLOATS[i]).length;
});

const BYTES = new Uint8Array(16 * 4096);

Deno.bench("g7Into() float32 values into bytes (the flow file's path)", { group: "printf" }, () => {
  let pos = 0;
  for (let i = 0; i < FLOATS.length; i++) pos = g7Into(FLOATS[i], BYTES, pos);
  sink += pos;
});

Deno.bench("toPrecision(7) for comparison (not glibc-exact)", { group: "printf" }, () => {
  for (let i = 0; i < FLOATS.length; i++) sink += FLOATS[i].toPrecision(7).length;
});

Deno.bench("formatFixed(x, 9)", { group: "fixed", baseline: true }, () => {
  for (let i = 0; i < DOUBLES.length; i++) sink += formatFixed(DOUBLES[i], 9).length;
});

Deno.bench("formatFixed(x, 2)", { group: "fixed" }, () => {
  for (let i = 0; i < DOUBLES.length; i++) sink += formatFixed(FLOATS[i], 2).length;
});

Deno.bench("toFixed(9) for comparison (not glibc-exact)", { group: "fixed" }, () => {
  for (let i = 0; i < DOUBLES.length; i++) sink += DOUBLES[i].toFixed(9).length;
});

globalThis.addEventListener("unload", () => {
  if (sink === -1) console.log(sink);
});
