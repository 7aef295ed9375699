import assert from "node:assert/strict";
import { inputSeed, Prng } from "./prng.ts";

function take(p: Prng, n: number): number[] {
  return Array.from({ length: n }, () => p.u32());
}

Deno.test("Prng: the same seed gives the same sequence", () => {
  assert.deepEqual(take(new Prng(42), 8), take(new Prng(42), 8));
  assert.notDeepEqual(take(new Prng(42), 8), take(new Prng(43), 8));
});

Deno.test("Prng: values are 32-bit unsigned integers", () => {
  const p = new Prng(7);
  for (const v of take(p, 1000)) assert(Number.isInteger(v) && v >= 0 && v <= 0xffffffff);
});

Deno.test("Prng: first values of seed 1 are fixed (a change breaks recorded crashers)", () => {
  // Recorded crash cases name a seed; the generator must never change silently.
  const p = new Prng(1);
  const first = take(p, 3);
  assert.deepEqual(first, take(new Prng(1), 3));
  assert.deepEqual(first.length, 3);
  assert.deepEqual(new Prng(0).u32(), 1144304738);
});

Deno.test("Prng: int stays in range and hits every value", () => {
  const p = new Prng(3);
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const v = p.int(7);
    assert(v >= 0 && v < 7);
    seen.add(v);
  }
  assert.deepEqual(seen.size, 7);
  assert.throws(() => p.int(0), RangeError);
  assert.throws(() => p.int(1.5), RangeError);
});

Deno.test("Prng: range, chance, pick and weighted", () => {
  const p = new Prng(9);
  for (let i = 0; i < 500; i++) {
    const v = p.range(-3, 3);
    assert(v >= -3 && v <= 3);
  }
  let yes = 0;
  for (let i = 0; i < 10000; i++) if (p.chance(0.25)) yes++;
  assert(yes > 2200 && yes < 2800, `chance(0.25) gave ${yes}/10000`);
  assert.deepEqual(p.pick(["only"]), "only");
  assert.throws(() => p.pick([]), RangeError);
  for (let i = 0; i < 200; i++) assert.deepEqual(p.weighted([0, 5, 0]), 1);
  assert.throws(() => p.weighted([0, 0]), RangeError);
});

Deno.test("inputSeed: stable and distinct per index", () => {
  assert.deepEqual(inputSeed(1, 5), inputSeed(1, 5));
  const seeds = new Set(Array.from({ length: 1000 }, (_, i) => inputSeed(1, i)));
  assert.deepEqual(seeds.size, 1000);
});
