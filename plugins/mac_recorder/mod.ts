/**
 * macRecorder (plugin 110): every distinct (source MAC, destination MAC) pair of a flow's
 * packets, with a packet count each (spec/plugins/macRecorder.md; `MR_MACLBL=0`: no vendor
 * labels). Shows load balancers, asymmetric routing and misconfigured hosts.
 *
 * Memory: most flows see one pair, so a flow keeps its first pair in flat per-flow arrays;
 * a flow that meets a second pair takes a block for the others from a shared pool, returned
 * when the flow is written.
 *
 * @module
 */

import {
  type ColumnBuilder,
  type FlowNotes,
  flowStatus as S,
  formatFixed,
  type OutputBuffer,
  type Packet,
  type PluginContext,
  type PluginDefinition,
  type PluginHooks,
  type ReportWriter,
} from "../../mod.ts";

/** macStat bit: a packet came when the flow's pair list was full. */
export const MR_STAT_FULL = 0x01;

/** The macRecorder plugin. */
export const macRecorder: PluginDefinition = {
  name: "macRecorder",
  number: 110,
  version: "0.9.3",
  settings: {
    MR_MAC_FMT: {
      type: "int",
      default: 1,
      min: 0,
      max: 2,
      description: "MAC text: 0 hex number (H64), 1 aa:bb:cc:dd:ee:ff, 2 decimal (U64)",
    },
    MR_NPAIRS: {
      type: "int",
      default: 1,
      min: 0,
      max: 1,
      description: "Column macPairs: the number of distinct MAC pairs",
    },
    MR_MACLBL: {
      type: "int",
      default: 0,
      min: 0,
      max: 0,
      description: "MAC vendor labels (T2's default 2 reads its label database; only 0 here)",
    },
    MR_MAX_MAC: {
      type: "int",
      default: 16,
      min: 1,
      max: 255,
      description: "Most MAC pairs kept per flow",
    },
  },
  create: (ctx) => new MacRecorder(ctx),
};

/** Words per MAC pair: the 12 bytes destination MAC then source MAC, big-endian. */
const W = 3;

// A flow's record: its length in float64 and in 32-bit words, and the words' indices.
const R64 = 4;
const R32 = 2 * R64;
const FIRST = 2;
const COUNT = 5;
const STAT = 6;
const BLOCK = 7;

class MacRecorder implements PluginHooks {
  readonly #ctx: PluginContext;
  readonly #max: number;
  readonly #fmt: number;
  readonly #nPairs: boolean;
  readonly #statusLo: Uint32Array;
  readonly #statusHi: Uint32Array;
  // Per flow, one 32-byte record (a packet reads one cache line, not one per value): the
  // first pair's packets (float64 0), then as 32-bit words the first pair (2-4), the pair
  // count (5), macStat (6) and the pool block of the other pairs plus one (7; 0: none).
  readonly #rec64: Float64Array;
  readonly #rec32: Uint32Array;
  // The pool: blocks of (max - 1) pairs, grown by doubling; free blocks on a stack.
  #poolMacs = new Uint32Array(0);
  #poolPkts = new Float64Array(0);
  #blocks = 0;
  #free: number[] = [];
  /** The current packet's pair. */
  readonly #pair = new Uint32Array(W);
  // Report.
  #statAll = 0;
  #minPairs = 0xffffffff;
  #maxPairs = 0;
  #avgPairs = 0;

  constructor(ctx: PluginContext) {
    this.#ctx = ctx;
    this.#max = ctx.num("MR_MAX_MAC");
    this.#fmt = ctx.num("MR_MAC_FMT");
    this.#nPairs = ctx.num("MR_NPAIRS") !== 0;
    this.#statusLo = ctx.flows.statusLo;
    this.#statusHi = ctx.flows.statusHi;
    this.#rec64 = ctx.perFlow({ rec: Float64Array }, R64).rec;
    const rec = this.#rec64;
    this.#rec32 = new Uint32Array(rec.buffer, rec.byteOffset, rec.length * 2);
  }

  columns(c: ColumnBuilder): void {
    c.add("macStat", "macRecorder status", "H8");
    if (this.#nPairs) {
      c.add("macPairs", "Number of distinct source/destination MAC addresses pairs", "U32");
    }
    const mac = this.#fmt === 0 ? "H64" : this.#fmt === 2 ? "U64" : "MAC";
    c.addRepeated(
      "srcMac_dstMac_numP",
      "Source/destination MAC address, number of packets of MAC address combination",
      [mac, mac, "U64"],
    );
  }

  onNewFlow(_p: Packet, flow: number): void {
    const r = flow * R32;
    this.#rec32[r + COUNT] = 0;
    this.#rec32[r + STAT] = 0;
    if (this.#rec32[r + BLOCK] !== 0) this.#release(flow);
  }

  /** A pure layer-2 packet of a flow (IP packets come to onLayer4). */
  onLayer2(p: Packet, flow: number): void {
    if (flow >= 0) this.onLayer4(p, flow);
  }

  onLayer4(p: Packet, flow: number): void {
    // no MACs: raw IP, PPP, ... (L2_NO_ETH) and LAPD flows
    if ((this.#statusLo[flow] & S.L2_NO_ETH) || (this.#statusHi[flow] & S.LAPD_FLOW_H)) return;
    const rec = this.#rec32;
    const r = flow * R32;
    const n = rec[r + COUNT];
    if (n >= this.#max) { // checked first: a full list no longer counts known pairs either
      rec[r + STAT] |= MR_STAT_FULL;
      return;
    }
    const pair = this.#pair;
    const at = p.l2Off;
    if (at >= 0) {
      p.u32Into(pair, 0, at); // bytes past the captured ones read as 0
      p.u32Into(pair, 1, at + 4);
      p.u32Into(pair, 2, at + 8);
    } else {
      pair.fill(0);
    }
    const f = r + FIRST;
    if (n === 0) {
      rec[f] = pair[0];
      rec[f + 1] = pair[1];
      rec[f + 2] = pair[2];
      this.#rec64[flow * R64] = 1;
      rec[r + COUNT] = 1;
      return;
    }
    if (rec[f] === pair[0] && rec[f + 1] === pair[1] && rec[f + 2] === pair[2]) {
      this.#rec64[flow * R64]++;
      return;
    }
    this.#other(flow, n);
  }

  /** A packet whose pair is not the flow's first: find it among the others or add it. */
  #other(flow: number, n: number): void {
    const pair = this.#pair;
    const r = flow * R32;
    let b = this.#rec32[r + BLOCK] - 1;
    if (b < 0) {
      b = this.#take();
      this.#rec32[r + BLOCK] = b + 1;
    }
    const per = this.#max - 1;
    const macs = this.#poolMacs;
    for (let i = 0; i < n - 1; i++) {
      const e = (b * per + i) * W;
      if (macs[e] === pair[0] && macs[e + 1] === pair[1] && macs[e + 2] === pair[2]) {
        this.#poolPkts[b * per + i]++;
        return;
      }
    }
    const i = b * per + n - 1;
    macs[i * W] = pair[0];
    macs[i * W + 1] = pair[1];
    macs[i * W + 2] = pair[2];
    this.#poolPkts[i] = 1;
    this.#rec32[r + COUNT] = n + 1;
  }

  /** A free pool block (the pool doubles when none is left). */
  #take(): number {
    const free = this.#free.pop();
    if (free !== undefined) return free;
    if (this.#blocks * (this.#max - 1) * W >= this.#poolMacs.length) {
      const size = Math.max(64, this.#blocks * 2) * (this.#max - 1);
      const macs = new Uint32Array(size * W);
      macs.set(this.#poolMacs);
      this.#poolMacs = macs;
      const pkts = new Float64Array(size);
      pkts.set(this.#poolPkts);
      this.#poolPkts = pkts;
    }
    return this.#blocks++;
  }

  #release(flow: number): void {
    const r = flow * R32;
    this.#free.push(this.#rec32[r + BLOCK] - 1);
    this.#rec32[r + BLOCK] = 0;
  }

  onFlowTerminate(flow: number, out: OutputBuffer): void {
    const r = flow * R32;
    const n = this.#rec32[r + COUNT];
    const stat = this.#rec32[r + STAT];
    out.h8(stat);
    if (this.#nPairs) out.u32(n);
    out.repeat(n);
    if (n > 0) this.#pairOut(out, this.#rec32, r + FIRST, this.#rec64[flow * R64]);
    const b = this.#rec32[r + BLOCK] - 1;
    if (b >= 0) {
      const per = this.#max - 1;
      for (let i = 0; i < n - 1; i++) {
        const e = b * per + i;
        this.#pairOut(out, this.#poolMacs, e * W, this.#poolPkts[e]);
      }
      this.#release(flow);
    }
    this.#tally(n, stat);
    // A run on several threads: the main thread's instance tallies again in output order.
    out.note(n);
    out.note(stat);
  }

  /** A run on several threads: a written flow line's notes (see onFlowTerminate). */
  onFlowWritten(notes: FlowNotes): void {
    this.#tally(notes.next(), notes.next());
  }

  /** One repetition: source MAC (bytes 6-11), destination MAC (bytes 0-5), packets. */
  #pairOut(out: OutputBuffer, words: Uint32Array, at: number, pkts: number): void {
    const w0 = words[at], w1 = words[at + 1], w2 = words[at + 2];
    this.#mac(out, w1 & 0xffff, w2);
    this.#mac(out, w0 >>> 16, ((w0 << 16) | (w1 >>> 16)) >>> 0);
    out.u64(pkts);
  }

  /** A MAC given as its first 2 bytes and last 4 bytes, in the chosen format. */
  #mac(out: OutputBuffer, hi: number, lo: number): void {
    if (this.#fmt === 1) out.macWords(hi, lo);
    else if (this.#fmt === 0) out.h64(lo, hi);
    else out.u64(hi * 2 ** 32 + lo);
  }

  /** The report's figures, updated at each flow written (T2's float average). */
  #tally(n: number, stat: number): void {
    this.#statAll |= stat;
    if (n < this.#minPairs) this.#minPairs = n;
    if (n > this.#maxPairs) this.#maxPairs = n;
    this.#avgPairs = this.#avgPairs !== 0
      ? Math.fround(0.7 * this.#avgPairs + 0.3 * n)
      : Math.fround((this.#minPairs + this.#maxPairs) / 2);
  }

  report(r: ReportWriter): void {
    const name = macRecorder.name;
    if (this.#statAll) {
      r.plugin(name, `Aggregated macStat=0x${this.#statAll.toString(16).padStart(2, "0")}`);
    }
    if (this.#maxPairs > 1) {
      r.plugin(
        name,
        `MAC pairs per flow: min: ${this.#minPairs}, max: ${this.#maxPairs}, ` +
          `average: ${formatFixed(this.#avgPairs, 2)}`,
      );
    }
  }
}
