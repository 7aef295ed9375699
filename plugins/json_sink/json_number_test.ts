import assert from "node:assert/strict";
import { jsonFloat } from "./json_number.ts";

Deno.test("jsonFloat: the spec's examples from real runs (jsonSink.md §3.1)", () => {
  const f = Math.fround;
  assert.equal(jsonFloat(f(0.01052966620773077)), "0.01052966620773077");
  assert.equal(jsonFloat(f(0.022998)), "0.02299799956381321");
  assert.equal(jsonFloat(f(94.969764709472656)), "94.969764709472656");
  assert.equal(jsonFloat(f(5698.18603515625)), "5698.18603515625");
  assert.equal(jsonFloat(f(6.9e-05)), "6.9000001531094313e-5");
  assert.equal(jsonFloat(0), "0.0");
  assert.equal(jsonFloat(-1), "-1.0");
  assert.equal(jsonFloat(46), "46.0");
  assert.equal(jsonFloat(f(4.1604173020459712e-5)), "4.1604173020459712e-5");
});

Deno.test("jsonFloat: %.17g switches to e-notation below 1e-4 and from 1e17", () => {
  assert.equal(jsonFloat(0.0001), "0.0001");
  assert.equal(jsonFloat(0.00001), "1.0000000000000001e-5");
  assert.equal(jsonFloat(1e16), "10000000000000000.0");
  assert.equal(jsonFloat(1e17), "1e+17");
  assert.equal(jsonFloat(1.5e300), "1.5000000000000001e+300");
  assert.equal(jsonFloat(2 ** 70), "1.1805916207174113e+21");
  assert.equal(jsonFloat(5e-324), "4.9406564584124654e-324");
});

Deno.test("jsonFloat: exact ties at the 18th digit round to even, as glibc does", () => {
  // 2^-25 = 2.98023223876953125e-8 exactly: ...312|5 stays ...312 (JavaScript rounds up).
  assert.equal((2 ** -25).toPrecision(17), "2.9802322387695313e-8");
  assert.equal(jsonFloat(2 ** -25), "2.9802322387695312e-8");
  // 3·2^-24 = 1.78813934326171875e-7: ...187|5 becomes ...188.
  assert.equal(jsonFloat(3 * 2 ** -24), "1.7881393432617188e-7");
});

Deno.test("jsonFloat: non-finite values as T2 writes them (not valid JSON)", () => {
  const negNaN = new Float64Array(new Uint32Array([0, 0xfff80000]).buffer)[0];
  assert.equal(jsonFloat(NaN), "nan.0");
  assert.equal(jsonFloat(negNaN), "-nan.0");
  assert.equal(jsonFloat(Infinity), "inf.0");
  assert.equal(jsonFloat(-Infinity), "-inf.0");
  assert.equal(jsonFloat(-0), "-0.0");
});
