import assert from "node:assert/strict";
import { Prng } from "../../tools/fuzz/prng.ts";
import { hashKey, KEY_WORDS, KeyTable } from "./key_table.ts";

/** A key whose words are all derived from `n` (distinct n → distinct keys). */
function key(n: number, into = new Uint32Array(KEY_WORDS)): Uint32Array {
  for (let i = 0; i < KEY_WORDS; i++) into[i] = Math.imul(n + 1, 0x9e3779b1 + i) >>> 0;
  into[13] = n >>> 0; // keeps keys distinct whatever the mixing above does
  return into;
}

/** Deterministic numbers in [0, 1) from `seed` (the fuzzer's generator). */
function rng(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.u32() / 4294967296;
}

Deno.test("hashKey() depends on every word and only on the key's words", () => {
  const buf = new Uint32Array(3 * KEY_WORDS);
  key(5, buf.subarray(KEY_WORDS, 2 * KEY_WORDS));
  const h = hashKey(buf, KEY_WORDS);
  assert.equal(h, hashKey(key(5), 0));
  buf[0] = 123; // words outside the key do not matter
  buf[2 * KEY_WORDS] = 456;
  assert.equal(hashKey(buf, KEY_WORDS), h);
  for (let w = 0; w < KEY_WORDS; w++) {
    const k = key(5);
    k[w] ^= 1;
    assert.notEqual(hashKey(k, 0), h, `word ${w} changes the hash`);
  }
  assert.ok(h >= 0 && h <= 0xffffffff && Number.isInteger(h));
});

Deno.test("KeyTable: insert, lookup at an offset, remove", () => {
  const t = new KeyTable(4);
  assert.equal(t.count, 0);
  assert.equal(t.lookup(key(1), 0), -1);
  const s1 = t.insert(key(1), 0);
  const s2 = t.insert(key(2), 0);
  assert.notEqual(s1, s2);
  assert.equal(t.count, 2);
  const padded = new Uint32Array(KEY_WORDS + 3);
  key(2, padded.subarray(3));
  assert.equal(t.lookup(padded, 3), s2);
  assert.equal(t.lookup(key(1), 0), s1);
  // The slot's key words are stored in `keys`.
  assert.deepStrictEqual(t.keys.subarray(s1 * KEY_WORDS, (s1 + 1) * KEY_WORDS), key(1));
  t.remove(s1);
  assert.equal(t.count, 1);
  assert.equal(t.lookup(key(1), 0), -1);
  assert.equal(t.lookup(key(2), 0), s2);
});

Deno.test("KeyTable: slots stay in [0, capacity), full at capacity, reused after removal", () => {
  const t = new KeyTable(8);
  const slots = new Set<number>();
  for (let i = 0; i < 8; i++) {
    assert.equal(t.full, false);
    slots.add(t.insert(key(i), 0));
  }
  assert.equal(t.full, true);
  assert.deepStrictEqual([...slots].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7]);
  const freed = t.lookup(key(3), 0);
  t.remove(freed);
  assert.equal(t.full, false);
  assert.equal(t.insert(key(100), 0), freed);
  for (let i = 0; i < 8; i++) if (i !== 3) assert.notEqual(t.lookup(key(i), 0), -1);
  assert.equal(t.lookup(key(3), 0), -1);
});

Deno.test("KeyTable: removing from the middle of a probe chain keeps later keys findable", () => {
  // Capacity 8 gives (at least) 16 index buckets. Six keys share a home bucket and two more
  // live in the next one, so the chains interleave; home 15 makes the chain wrap around.
  const mask = 15;
  const withHome = (h: number, count: number) => {
    const out: number[] = [];
    for (let n = 0; out.length < count; n++) if ((hashKey(key(n), 0) & mask) === h) out.push(n);
    return out;
  };
  for (const home of [hashKey(key(0), 0) & mask, 15]) {
    const same = withHome(home, 6);
    const next = withHome((home + 1) & mask, 2);
    for (const order of [[0, 1, 2, 3, 4, 5], [5, 4, 3, 2, 1, 0], [2, 0, 4, 1, 5, 3]]) {
      const t = new KeyTable(8);
      const slotOf = new Map<number, number>();
      for (const n of [...same, ...next]) slotOf.set(n, t.insert(key(n), 0));
      const gone = new Set<number>();
      for (const i of order) {
        t.remove(slotOf.get(same[i])!);
        gone.add(same[i]);
        for (const n of [...same, ...next]) {
          const want = gone.has(n) ? -1 : slotOf.get(n);
          assert.equal(t.lookup(key(n), 0), want, `home ${home}: key ${n} after ${[...gone]}`);
        }
      }
      assert.equal(t.count, next.length);
    }
  }
});

for (const seed of [1, 2, 3]) {
  Deno.test(`KeyTable matches a Map over many random inserts and removals (seed ${seed})`, () => {
    const rand = rng(seed);
    const capacity = 64;
    const t = new KeyTable(capacity);
    const model = new Map<number, number>(); // key number -> slot
    const probe = new Uint32Array(KEY_WORDS);
    for (let step = 0; step < 20000; step++) {
      const n = Math.floor(rand() * 200); // 200 possible keys for 64 slots: many collisions
      const slot = t.lookup(key(n, probe), 0);
      assert.equal(slot, model.get(n) ?? -1, `step ${step}: lookup of key ${n}`);
      if (slot >= 0 && rand() < 0.6) {
        t.remove(slot);
        model.delete(n);
      } else if (slot < 0 && !t.full) {
        const s = t.insert(key(n, probe), 0);
        assert.ok(s >= 0 && s < capacity, `slot ${s} in range`);
        assert.ok(![...model.values()].includes(s), `slot ${s} is not in use`);
        model.set(n, s);
      }
      assert.equal(t.count, model.size);
      assert.equal(t.full, model.size === capacity);
    }
    for (let n = 0; n < 200; n++) assert.equal(t.lookup(key(n), 0), model.get(n) ?? -1);
  });
}
