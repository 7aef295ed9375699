/**
 * What a cache miss on per-flow state costs on this machine, and how much of it reading a
 * flow's lines together (so that the misses overlap) wins back: the measurement behind
 * "Touching a flow's state early" in docs/default-plugins.md.
 *
 *     deno run tasks/bench_miss_overlap.ts [spread|batched|listed|cached]
 *
 * 16 arrays of 64-byte records (as many as plugins and core arrays a packet of the default set
 * reads), 17.7 k flows in use (the yardstick's), 1.2 M packets each of a random flow. Per
 * packet, every array's record of the flow is read and updated with some arithmetic between
 * them, the way each plugin reads its own state in turn (`spread`); or first one byte of each is
 * read in one plain loop (`batched`) or through a list of byte views, as a core function over
 * registered arrays would (`listed`); `cached` is the same work on 64 flows, all in cache.
 * Without an argument, every mode in turn (each in its own process gives steadier figures).
 *
 * @module
 */

const FLOWS = 17_700;
const ARRAYS = 16;
/** 32-bit values per 64-byte record. */
const REC = 16;
const PACKETS = 1_200_000;

const arrays = Array.from({ length: ARRAYS }, () => new Uint32Array(262_144 * REC));
const views = arrays.map((a) => ({ bytes: new Uint8Array(a.buffer), stride: 64 }));
const order = new Int32Array(PACKETS);
let seed = 1;
for (let i = 0; i < PACKETS; i++) {
  seed = (seed * 1_103_515_245 + 12_345) >>> 0;
  order[i] = seed % FLOWS;
}

/** The per-packet work on every array's record at `f`: a chain of dependent arithmetic. */
function work(f: number, s: number): number {
  for (let k = 0; k < ARRAYS; k++) {
    const a = arrays[k];
    let v = a[f] + s;
    for (let j = 0; j < 40; j++) v = (v * 31 + j) | 0;
    a[f] = v;
    s = v & 7;
  }
  return s;
}

const modes: Record<string, () => number> = {
  spread() {
    let s = 0;
    for (let i = 0; i < PACKETS; i++) s = work(order[i] * REC, s);
    return s;
  },
  batched() {
    let s = 0;
    for (let i = 0; i < PACKETS; i++) {
      const f = order[i] * REC;
      let t = 0;
      for (let k = 0; k < ARRAYS; k++) t += arrays[k][f + 1];
      s = work(f, s + (t & 1));
    }
    return s;
  },
  listed() {
    let s = 0;
    for (let i = 0; i < PACKETS; i++) {
      const flow = order[i];
      let t = 0;
      for (let k = 0; k < views.length; k++) t += views[k].bytes[flow * views[k].stride];
      s = work(flow * REC, s + (t & 1));
    }
    return s;
  },
  cached() {
    let s = 0;
    for (let i = 0; i < PACKETS; i++) s = work((order[i] & 63) * REC, s);
    return s;
  },
};

function measure(name: string): void {
  const run = modes[name];
  if (!run) throw new Error(`unknown mode ${name} (spread, batched, listed, cached)`);
  run(); // warm-up: compiled and every record touched once
  const t = performance.now();
  run();
  run();
  console.log(`${name.padEnd(8)} ${((performance.now() - t) / 2).toFixed(0)} ms`);
}

if (import.meta.main) {
  for (const name of Deno.args.length ? Deno.args : Object.keys(modes)) measure(name);
}
