/**
 * SlotMap: T2's slot order (a stack of free slots, 0 on top at the start, a removed slot back
 * on top), lookups through shared hash chains, and a full map.
 */

import assert from "node:assert/strict";
import { NOT_FOUND, SlotMap } from "./slot_map.ts";

const key = (...w: number[]) => Uint32Array.from(w);

Deno.test("SlotMap: slots 0, 1, 2 … in insertion order; a removed slot is the next one handed out", () => {
  const m = new SlotMap(8, 2);
  assert.equal(m.insert(key(4, 1)), 0);
  assert.equal(m.insert(key(4, 2)), 1);
  assert.equal(m.insert(key(4, 3)), 2);
  m.remove(1);
  assert.equal(m.lookup(key(4, 2)), NOT_FOUND);
  assert.equal(m.insert(key(4, 9)), 1);
  m.remove(0);
  m.remove(2);
  // Last freed on top: 2, then 0, then the never-used 3.
  assert.equal(m.insert(key(6, 1)), 2);
  assert.equal(m.insert(key(6, 2)), 0);
  assert.equal(m.insert(key(6, 3)), 3);
  assert.equal(m.lookup(key(6, 1)), 2);
  assert.equal(m.lookup(key(4, 9)), 1);
  assert.equal(m.lookup(key(4, 1)), NOT_FOUND);
  assert.equal(m.size, 4);
});

Deno.test("SlotMap: keys compare on every word (the version word keeps IPv4 and IPv6 apart)", () => {
  const m = new SlotMap(4, 3);
  const a = m.insert(key(4, 0x0a000001, 0));
  const b = m.insert(key(6, 0x0a000001, 0));
  assert.notEqual(a, b);
  assert.equal(m.lookup(key(4, 0x0a000001, 0)), a);
  assert.equal(m.lookup(key(6, 0x0a000001, 0)), b);
  assert.equal(m.lookup(key(6, 0x0a000001, 1)), NOT_FOUND);
});

Deno.test("SlotMap: full — insert returns NOT_FOUND until a slot is freed", () => {
  const m = new SlotMap(2, 1);
  assert.equal(m.insert(key(1)), 0);
  assert.equal(m.insert(key(2)), 1);
  assert.ok(m.full);
  assert.equal(m.insert(key(3)), NOT_FOUND);
  m.remove(0);
  assert.equal(m.insert(key(3)), 0);
});

Deno.test("SlotMap: many keys in few buckets — removing from the head, middle and end of a chain", () => {
  const n = 64;
  const m = new SlotMap(n, 1);
  for (let i = 0; i < n; i++) assert.equal(m.insert(key(i * 1000)), i);
  for (const i of [0, 31, 63, 17, 5]) m.remove(i);
  for (let i = 0; i < n; i++) {
    const gone = [0, 31, 63, 17, 5].includes(i);
    assert.equal(m.lookup(key(i * 1000)), gone ? NOT_FOUND : i, `key ${i}`);
  }
  assert.equal(m.insert(key(7)), 5);
  assert.equal(m.lookup(key(7)), 5);
  assert.throws(() => m.remove(31), /not bound/);
});

Deno.test("SlotMap: growing past its first buckets keeps every key, free slot and generation", () => {
  const m = new SlotMap(10000, 2);
  for (let i = 0; i < 3000; i++) assert.equal(m.insert(key(6, i * 7919)), i);
  for (let i = 0; i < 3000; i += 3) m.remove(i);
  for (let i = 3000; i < 6000; i++) m.insert(key(4, i)); // reuses the freed slots first, then grows
  for (let i = 0; i < 3000; i++) {
    const slot = m.lookup(key(6, i * 7919));
    assert.equal(slot, i % 3 === 0 ? NOT_FOUND : i, `key ${i}`);
    if (slot !== NOT_FOUND) assert.equal(m.generation[slot] & 1, 1);
  }
  // The freed slots went back in reverse order: the last freed (2997) was taken first.
  assert.equal(m.lookup(key(4, 3000)), 2997);
  assert.equal(m.lookup(key(4, 3999)), 0);
  assert.equal(m.lookup(key(4, 4000)), 3000);
  assert.equal(m.size, 5000);
});
