/**
 * Flow hash table benchmark: lookups of 16 k live IPv4 keys (the annoloc trace's order of
 * magnitude) in random order, and an insert/remove churn.
 *
 *     deno task bench:micro src/flow/
 *
 * @module
 */

import { hashKey, KEY_WORDS, KeyTable } from "./key_table.ts";

const FLOWS = 16384;
const LOOKUPS = 100_000;
let seed = 1;
const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);

const keys = new Uint32Array(FLOWS * KEY_WORDS);
for (let f = 0; f < FLOWS; f++) {
  const k = f * KEY_WORDS;
  keys[k] = 0x8ad40000 | (rnd() & 0xffff); // 138.212.x.y
  keys[k + 4] = rnd();
  keys[k + 11] = 0x08000000; // IPv4, no VLAN
  keys[k + 12] = rnd(); // ports
  keys[k + 13] = 6;
}
const table = new KeyTable(262144);
for (let f = 0; f < FLOWS; f++) table.insert(keys, f * KEY_WORDS);
const order = Int32Array.from({ length: LOOKUPS }, () => (rnd() % FLOWS) * KEY_WORDS);
const key = new Uint32Array(KEY_WORDS);
let sink = 0;

Deno.bench("hashKey x100k", { group: "table" }, () => {
  for (let i = 0; i < LOOKUPS; i++) sink ^= hashKey(keys, order[i]);
});

Deno.bench("lookup x100k (16k flows, hits, key copied first as the engine does)", {
  group: "table",
  baseline: true,
}, () => {
  for (let i = 0; i < LOOKUPS; i++) {
    const o = order[i];
    for (let w = 0; w < KEY_WORDS; w++) key[w] = keys[o + w];
    sink += table.lookup(key, 0);
  }
});

Deno.bench("remove + insert x10k (flow churn)", { group: "table" }, () => {
  for (let i = 0; i < 10000; i++) {
    const o = order[i];
    const slot = table.lookup(keys, o);
    table.remove(slot);
    table.insert(keys, o);
  }
});

globalThis.addEventListener("unload", () => {
  if (sink === -1) console.log(sink);
});
