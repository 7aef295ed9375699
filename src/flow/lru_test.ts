import assert from "node:assert/strict";
import { Prng } from "../../tools/fuzz/prng.ts";
import { FlowLru, type FlowTimes } from "./lru.ts";

/** Per-flow times of `n` slots: last seen 0, timeout 182 s, no opposite. */
function times(n: number): FlowTimes & {
  lastSec: Float64Array;
  lastNs: Uint32Array;
  timeout: Float32Array;
  opposite: Int32Array;
} {
  return {
    lastSec: new Float64Array(n),
    lastNs: new Uint32Array(n),
    timeout: new Float32Array(n).fill(182),
    opposite: new Int32Array(n).fill(-1),
  };
}

/** Remove a flow and its opposite the way the engine does; returns the node to go on with. */
function remover(lru: FlowLru, t: FlowTimes, log: number[]): (flow: number) => number {
  return (flow) => {
    let prev = lru.prev[flow];
    log.push(flow);
    const q = t.opposite[flow];
    lru.unlink(flow);
    if (q >= 0) {
      log.push(q);
      if (prev === q) prev = lru.prev[q];
      lru.unlink(q);
    }
    return prev;
  };
}

/** Nodes from the tail to the head; sentinels as `S<timeout>`. */
function tailToHead(lru: FlowLru): (number | string)[] {
  const sentinelName = new Map<number, string>();
  // Sentinels are numbered in registration order after head and tail.
  const registered = registrationOrder.get(lru) ?? [];
  registered.forEach((t, i) => sentinelName.set(lru.capacity + 2 + i, `S${t}`));
  const out: (number | string)[] = [];
  for (let p = lru.prev[lru.tail]; p !== lru.head; p = lru.prev[p]) {
    out.push(p < lru.capacity ? p : sentinelName.get(p) ?? `?${p}`);
  }
  return out;
}
const registrationOrder = new WeakMap<FlowLru, number[]>();
function register(lru: FlowLru, ...values: number[]): void {
  const list = registrationOrder.get(lru) ?? [];
  for (const v of values) {
    const f = Math.fround(v);
    if (!list.includes(f)) list.push(f);
    lru.addHandler(v);
  }
  registrationOrder.set(lru, list);
}

Deno.test("FlowLru.addHandler() keeps one handler per float32 value, largest first", () => {
  const lru = new FlowLru(4);
  register(lru, 182, 1, 10, 1.0, 2.2, Math.fround(2.2), 0.001);
  assert.deepStrictEqual(lru.timeouts, [182, 10, Math.fround(2.2), 1, Math.fround(0.001)]);
});

Deno.test("FlowLru.addHandler() puts each new sentinel next to the tail", () => {
  const lru = new FlowLru(4);
  register(lru, 182);
  lru.touch(0);
  register(lru, 10, 1);
  // head, flow 0, S182, S10, S1, tail: read from the tail.
  assert.deepStrictEqual(tailToHead(lru), ["S1", "S10", "S182", 0]);
});

Deno.test("FlowLru.addHandler() refuses more than 256 values", () => {
  const lru = new FlowLru(1);
  for (let i = 0; i < 256; i++) lru.addHandler(i + 1);
  assert.throws(() => lru.addHandler(1000), (e: Error) => {
    assert.ok(e instanceof RangeError);
    assert.match(e.message, /^Cannot register timeout 1000/);
    return true;
  });
  lru.addHandler(5); // a value registered already is still fine
});

Deno.test("FlowLru.touch() moves a flow to the head; oldest() skips sentinels", () => {
  const lru = new FlowLru(8);
  register(lru, 182, 1);
  assert.equal(lru.oldest(), -1);
  for (const f of [3, 5, 7]) lru.touch(f);
  assert.deepStrictEqual(tailToHead(lru), ["S1", "S182", 3, 5, 7]);
  assert.equal(lru.oldest(), 3);
  lru.touch(3);
  lru.touch(3); // already at the head: nothing changes
  assert.deepStrictEqual(tailToHead(lru), ["S1", "S182", 5, 7, 3]);
  assert.equal(lru.oldest(), 5);
  lru.unlink(5);
  lru.unlink(7);
  assert.equal(lru.oldest(), 3);
  lru.unlink(3);
  assert.equal(lru.oldest(), -1);
  assert.ok(lru.isSentinel(lru.head) && lru.isSentinel(lru.tail) && !lru.isSentinel(7));
});

Deno.test("FlowLru.cycle() expires a lone flow whose age equals its timeout", () => {
  const lru = new FlowLru(4);
  register(lru, 182);
  const t = times(4);
  lru.touch(0);
  t.lastSec[0] = 100;
  const out: number[] = [];
  lru.cycle(281, 999_999_999, t, remover(lru, t, out)); // age rounds to 182.0f
  assert.deepStrictEqual(out, [0]);
  assert.equal(lru.oldest(), -1);
});

Deno.test("FlowLru.cycle() keeps a flow one float32 step younger than its timeout", () => {
  const lru = new FlowLru(4);
  register(lru, 182, 0.001);
  const t = times(4);
  lru.touch(0);
  t.lastSec[0] = 100;
  t.timeout[0] = 0.001;
  const out: number[] = [];
  lru.cycle(100, 999_999, t, remover(lru, t, out));
  assert.deepStrictEqual(out, []);
  lru.cycle(100, 1_000_000, t, remover(lru, t, out)); // age == float32(0.001)
  assert.deepStrictEqual(out, [0]);
});

Deno.test("FlowLru.cycle() removes a pair only when both sides have expired", () => {
  const lru = new FlowLru(4);
  register(lru, 182, 1);
  const t = times(4);
  t.opposite[0] = 1;
  t.opposite[1] = 0;
  t.timeout[0] = t.timeout[1] = 1;
  lru.touch(0);
  lru.touch(1);
  t.lastSec[0] = 10;
  t.lastSec[1] = 11;
  const out: number[] = [];
  lru.cycle(11, 500_000_000, t, remover(lru, t, out)); // 0 is 1.5 s old, 1 only 0.5 s
  assert.deepStrictEqual(out, []);
  // 1 is now reached by the handler through its own age: the pair goes, flow 1 first.
  lru.cycle(12, 0, t, remover(lru, t, out));
  assert.deepStrictEqual(out, [1, 0]);
  assert.equal(lru.oldest(), -1);
});

Deno.test("FlowLru.cycle() runs handlers largest first and writes oldest first within one", () => {
  const lru = new FlowLru(8);
  register(lru, 182, 1);
  const t = times(8);
  for (const [f, sec, timeout] of [[2, 0, 182], [3, 1, 1], [4, 2, 1], [5, 3, 182]]) {
    lru.touch(f);
    t.lastSec[f] = sec;
    t.timeout[f] = timeout;
  }
  const out: number[] = [];
  // At 184: the 182 s handler takes 2 (age 184); the 1 s handler then 3 and 4; 5 (181 s) stays.
  lru.cycle(184, 0, t, remover(lru, t, out));
  assert.deepStrictEqual(out, [2, 3, 4]);
  assert.equal(lru.oldest(), 5);
});

Deno.test("FlowLru.cycle() does not look again at a flow its handler passed, until it is touched", () => {
  const lru = new FlowLru(4);
  register(lru, 182);
  const t = times(4);
  lru.touch(0);
  t.timeout[0] = 500; // larger than every handler
  const out: number[] = [];
  lru.cycle(200, 0, t, remover(lru, t, out)); // examined (200 >= 182), kept (200 < 500)
  lru.cycle(1000, 0, t, remover(lru, t, out)); // the sentinel is past flow 0 now
  assert.deepStrictEqual(out, []);
  lru.touch(0); // a packet moves it head-side of the sentinel again
  lru.cycle(2000, 0, t, remover(lru, t, out));
  assert.deepStrictEqual(out, [0]);
});

Deno.test("FlowLru.cycle() moves each sentinel behind the first flow too young for it", () => {
  const lru = new FlowLru(4);
  register(lru, 182, 10);
  const t = times(4);
  for (const [f, sec] of [[0, 0], [1, 5], [2, 15]]) {
    lru.touch(f);
    t.lastSec[f] = sec;
  }
  lru.cycle(16, 0, t, remover(lru, t, []));
  // 182: stops at flow 0 (16 s); 10: examines 0 (16 s) and 1 (11 s), stops at 2 (1 s).
  assert.deepStrictEqual(tailToHead(lru), ["S182", 0, 1, "S10", 2]);
});

// ------------------------------------------------------------------------------------------
// Differential test: FlowLru against a direct transcription of spec/timeouts.md §2-§3.

/** The spec's list with named nodes: flows are numbers, sentinels `S<timeout>`. */
class SpecModel {
  readonly #toHead = new Map<number | string, number | string>(); // towards the head
  readonly #toTail = new Map<number | string, number | string>();
  readonly handlers: { timeout: number; node: string }[] = [];

  constructor() {
    this.#toTail.set("head", "tail");
    this.#toHead.set("tail", "head");
  }

  #insertBetween(node: number | string, headSide: number | string, tailSide: number | string) {
    this.#toTail.set(headSide, node);
    this.#toHead.set(node, headSide);
    this.#toTail.set(node, tailSide);
    this.#toHead.set(tailSide, node);
  }

  remove(node: number | string): void {
    const h = this.#toHead.get(node)!;
    const t = this.#toTail.get(node)!;
    this.#toTail.set(h, t);
    this.#toHead.set(t, h);
    this.#toHead.delete(node);
    this.#toTail.delete(node);
  }

  has(node: number): boolean {
    return this.#toHead.has(node);
  }

  /** timeout_handler_add: a new value gets a sentinel immediately before the tail. */
  add(seconds: number): void {
    const timeout = Math.fround(seconds);
    if (this.handlers.some((h) => h.timeout === timeout)) return;
    const node = `S${timeout}`;
    this.#insertBetween(node, this.#toHead.get("tail")!, "tail");
    this.handlers.push({ timeout, node });
    this.handlers.sort((a, b) => b.timeout - a.timeout);
  }

  /** A flow created or hit by a packet moves to the head. */
  touch(flow: number): void {
    if (this.has(flow)) this.remove(flow);
    this.#insertBetween(flow, "head", this.#toTail.get("head")!);
  }

  /** cycleLRULists at packet time `now`; returns the removed flows in order. */
  cycle(nowSec: number, nowNs: number, t: FlowTimes): number[] {
    const removed: number[] = [];
    const age = (f: number) =>
      Math.fround(Math.fround(nowSec - t.lastSec[f]) + (nowNs - t.lastNs[f]) / 1e9);
    for (const h of this.handlers) {
      let p = this.#toHead.get(h.node)!;
      while (p !== "head") {
        if (typeof p === "string") {
          p = this.#toHead.get(p)!;
          continue;
        }
        const a = age(p);
        if (a < h.timeout) break;
        let next = this.#toHead.get(p)!;
        if (a >= t.timeout[p]) {
          const q = t.opposite[p];
          if (q < 0 || age(q) >= t.timeout[q]) {
            removed.push(p);
            if (q >= 0) {
              removed.push(q);
              if (next === q) next = this.#toHead.get(q)!;
              this.remove(q);
            }
            this.remove(p);
          }
        }
        p = next;
      }
      // The sentinel goes immediately tail-side of p.
      this.remove(h.node);
      this.#insertBetween(h.node, p, this.#toTail.get(p)!);
    }
    return removed;
  }

  tailToHead(): (number | string)[] {
    const out: (number | string)[] = [];
    for (let p = this.#toHead.get("tail")!; p !== "head"; p = this.#toHead.get(p)!) out.push(p);
    return out;
  }
}

/** Deterministic numbers in [0, 1) from `seed` (the fuzzer's generator). */
function rng(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.u32() / 4294967296;
}

for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
  Deno.test(`FlowLru matches the spec's list and sentinel algorithm on random traffic (seed ${seed})`, () => {
    const N = 24;
    const rand = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const lru = new FlowLru(N);
    const model = new SpecModel();
    const t = times(N);
    const live = new Set<number>();
    const addHandler = (v: number) => {
      register(lru, v);
      model.add(v);
    };
    addHandler(182);
    for (const v of [10, 2.2, 1, 0.5, 0.001]) if (rand() < 0.6) addHandler(v);
    const values = [182, 10, 2.2, 1, 0.5, 0.001, 0.25, 3, 500]; // some never registered
    let expiredTotal = 0;
    let sec = 1_000_000;
    let ns = 0;
    for (let step = 0; step < 1500; step++) {
      // Time advances by 0 .. ~3 s, sometimes by a long pause or to an exact boundary.
      const r = rand();
      const dns = r < 0.02
        ? 200e9
        : r < 0.1
        ? pick([1e9, 1e6, 2.2e9, 10e9, 0])
        : Math.floor(rand() * rand() * 3e9);
      ns += dns;
      sec += Math.floor(ns / 1e9);
      ns %= 1e9;

      const gotLru: number[] = [];
      lru.cycle(sec, ns, t, remover(lru, t, gotLru));
      const gotModel = model.cycle(sec, ns, t);
      assert.deepStrictEqual(gotLru, gotModel, `step ${step}: expired flows`);
      expiredTotal += gotLru.length;
      for (const f of gotLru) live.delete(f);
      for (const f of gotLru) t.opposite[f] = -1;

      // One packet: a new flow (maybe the opposite of a lone flow), a packet of a live flow, a
      // later fragment (no LRU move), or a timeout change of a flow's opposite.
      const action = rand();
      const liveList = [...live];
      if (action < 0.35 && live.size < N) {
        let f = 0;
        while (live.has(f)) f++;
        live.add(f);
        t.lastSec[f] = sec;
        t.lastNs[f] = ns;
        t.timeout[f] = rand() < 0.5 ? 182 : pick(values);
        t.opposite[f] = -1;
        const lone = liveList.filter((g) => t.opposite[g] < 0);
        if (lone.length && rand() < 0.5) {
          const g = pick(lone);
          t.opposite[f] = g;
          t.opposite[g] = f;
        }
        lru.touch(f);
        model.touch(f);
      } else if (liveList.length) {
        const f = pick(liveList);
        t.lastSec[f] = sec;
        t.lastNs[f] = ns;
        if (action < 0.85) {
          lru.touch(f);
          model.touch(f);
        }
        if (rand() < 0.4) t.timeout[f] = pick(values);
        const q = t.opposite[f];
        if (q >= 0 && rand() < 0.3) t.timeout[q] = pick(values);
      }
      if (step === 700 && rand() < 0.5) addHandler(pick([0.75, 4, 30]));
      assert.deepStrictEqual(tailToHead(lru), model.tailToHead(), `step ${step}: list order`);
    }
    assert.ok(
      expiredTotal > 300,
      `only ${expiredTotal} flows expired: the test exercises too little`,
    );
  });
}
