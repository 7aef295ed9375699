/**
 * The merge of a run over several threads (docs/multicore.md §5): takes the shards' event
 * streams (each sorted by its place in one thread's order), and handles the events in that
 * order: flow indices in creation order (the run's `flowInd`), flow lines through the main
 * thread's sinks and the plugins' `onFlowWritten`, packet lines with the run's `flowInd`, and
 * the flows in memory (their peak; one thread's table would have been full: the attempt ends).
 *
 * @module
 */

import type { Counters } from "../../base/counters.ts";
import type { FlowNotes, PluginHooks } from "../../plugin/api.ts";
import type { Column } from "../../plugin/columns.ts";
import { FLOW_INDEX_SLOT, OutputBuffer } from "../../plugin/output_buffer.ts";
import { ByteWriter } from "../../output/byte_writer.ts";
import { EV_CREATE, EV_ROW, PER_PACKET, type ShardBatch } from "./batch.ts";
import type { ShardEnd } from "./protocol.ts";
import { ShardFallback } from "./role.ts";

/** Where merged events go: the main thread's plugins and files. */
export interface MergeTarget {
  /** A batch of shard `shard` is done with. */
  readonly merged: (shard: number) => void;
  /** The sinks (`bufferToSink`) of the main thread's plugins. */
  readonly sinks: readonly Required<Pick<PluginHooks, "bufferToSink">>[];
  /** The one sink whose lines the shards format (they send bytes), else null. */
  readonly lineSink: PluginHooks | null;
  /** The plugins with `onFlowTerminate`, in order (their `onFlowWritten` reads the notes). */
  readonly terminators: readonly PluginHooks[];
  readonly columns: readonly Column[];
  /** The packet file's writer (`-s`), else null. */
  readonly packets: ByteWriter | null;
  /** Flow slots of one thread's table. */
  readonly capacity: number;
}

/** One shard's stream: its batches not yet merged and how far it is. */
class Stream {
  readonly batches: ShardBatch[] = [];
  /** Event index in `batches[0]`. */
  at = 0;
  /** Its next events are placed at or after this keyHi (unless ended). */
  bound = 0;
  ended = false;
  /** Flow index map: shard's A-flow index → run's. */
  index = new Float64Array(1024);
  /** Batch-relative bookkeeping for the current batch's slots, strings, notes and lines. */
  nums = 0;
  strs = 0;
  notes = 0;
  line = 0;
  /** Start of the next formatted flow line. */
  flowLine = 0;
  end: ShardEnd | null = null;
}

/** Reads one line's notes in order. */
class NoteCursor implements FlowNotes {
  notes: Float64Array = new Float64Array(0);
  at = 0;
  next(): number {
    return this.notes[this.at++];
  }
}

/** See the module. */
export class ShardMerge {
  readonly #t: MergeTarget;
  readonly #streams: Stream[] = [];
  readonly #out = new OutputBuffer();
  readonly #cursor = new NoteCursor();
  readonly #written: PluginHooks[];
  /** A formatted line with the run's flow index spliced in. */
  readonly #spliced = new ByteWriter(null, 1 << 12);
  /** Flows in memory in one thread's order, and their peak. */
  inMemory = 0;
  peak = 0;
  /** A flows numbered so far. */
  findex = 0;

  constructor(shards: number, target: MergeTarget) {
    this.#t = target;
    for (let i = 0; i < shards; i++) this.#streams.push(new Stream());
    this.#written = target.terminators.filter((h) => h.onFlowWritten !== undefined);
  }

  /** A batch from a shard (in the shard's order); merges what can be merged. */
  add(b: ShardBatch, end: ShardEnd | null): void {
    const s = this.#streams[b.shard];
    if (b.count !== 0) s.batches.push(b);
    else this.#t.merged(b.shard);
    s.bound = (b.done + 1) * PER_PACKET;
    if (end) {
      s.ended = true;
      s.end = end;
    }
    this.#drain();
  }

  /** Every shard's last words, once all ended. */
  get ends(): ShardEnd[] | null {
    const e = this.#streams.map((s) => s.end);
    return e.every((x) => x !== null) ? e as ShardEnd[] : null;
  }

  /** Handle every event whose place no shard can still precede. */
  #drain(): void {
    const streams = this.#streams;
    for (;;) {
      let best = -1;
      let hi = Infinity;
      let lo = Infinity;
      for (let i = 0; i < streams.length; i++) {
        const s = streams[i];
        if (s.batches.length === 0) continue;
        const b = s.batches[0];
        const h = b.keyHi[s.at];
        const l = b.keyLo[s.at];
        if (h < hi || (h === hi && l < lo)) {
          best = i;
          hi = h;
          lo = l;
        }
      }
      if (best < 0) return;
      // A shard with nothing queued may still send an earlier event.
      for (let i = 0; i < streams.length; i++) {
        const s = streams[i];
        if (s.batches.length === 0 && !s.ended && s.bound <= hi) return;
      }
      this.#handle(streams[best]);
    }
  }

  #handle(s: Stream): void {
    const b = s.batches[0];
    const i = s.at;
    const kind = b.kind[i];
    if (kind === EV_CREATE) this.#create(s, b.a[i]);
    else if (kind === EV_ROW) this.#row(s, b, i);
    else this.#line(s, b, i);
    if (++s.at === b.count) {
      s.batches.shift();
      this.#t.merged(b.shard);
      s.at =
        s.nums =
        s.strs =
        s.notes =
        s.line =
        s.flowLine =
          0;
    }
  }

  #create(s: Stream, index: number): void {
    // One thread's table would be full here: its autopilot would remove the oldest pair.
    if (this.inMemory >= this.#t.capacity) throw new ShardFallback("the flow table is full");
    if (++this.inMemory > this.peak) this.peak = this.inMemory;
    if (index === 0) return;
    if (index >= s.index.length) {
      const m = new Float64Array(Math.max(s.index.length * 2, index + 1));
      m.set(s.index);
      s.index = m;
    }
    s.index[index] = ++this.findex;
  }

  #row(s: Stream, b: ShardBatch, i: number): void {
    const t = this.#t;
    this.inMemory--;
    if (t.lineSink !== null) this.#formatted(t.lineSink, s, b, i);
    else this.#values(s, b, i);
    const c = this.#cursor;
    c.notes = b.notes;
    c.at = s.notes;
    const w = this.#written;
    for (let k = 0; k < w.length; k++) w[k].onFlowWritten!(c);
    s.notes = b.c[i];
  }

  /** A line the shard formatted: its flow index becomes the run's. */
  #formatted(sink: PluginHooks, s: Stream, b: ShardBatch, i: number): void {
    const bytes = b.flowLines;
    const start = s.flowLine;
    const end = b.a[i];
    const at = b.b[i];
    s.flowLine = end;
    if (at < 0) {
      sink.writeFlowLine!(bytes, start, end);
      return;
    }
    const local = b.local[i];
    let digits = 1;
    for (let v = local; v >= 10; v = Math.floor(v / 10)) digits++;
    const w = this.#spliced;
    w.position = 0;
    w.bytes(bytes, start, at);
    w.uint(s.index[local]);
    w.bytes(bytes, at + digits, end);
    sink.writeFlowLine!(w.buffer, 0, w.position);
  }

  /** A line as values: the main thread's sinks format it. */
  #values(s: Stream, b: ShardBatch, i: number): void {
    const t = this.#t;
    const out = this.#out;
    const end = b.a[i];
    const strEnd = b.b[i];
    out.load(
      b.nums.subarray(s.nums, end),
      b.tags.subarray(s.nums, end),
      b.strs.slice(s.strs, strEnd),
    );
    s.nums = end;
    s.strs = strEnd;
    // The shard's flow index becomes the run's.
    out.nums[FLOW_INDEX_SLOT] = s.index[out.nums[FLOW_INDEX_SLOT]];
    const sinks = t.sinks;
    for (let k = 0; k < sinks.length; k++) sinks[k].bufferToSink(out, t.columns);
  }

  #line(s: Stream, b: ShardBatch, i: number): void {
    const w = this.#t.packets!;
    const bytes = b.lines;
    const start = s.line;
    const end = b.a[i];
    // "pktNo\tflowInd\t...": the shard's flowInd becomes the run's.
    let p = start;
    while (bytes[p] !== 9) p++;
    const tab = p;
    let local = 0;
    for (p++; bytes[p] !== 9; p++) local = local * 10 + bytes[p] - 48;
    w.bytes(bytes, start, tab + 1);
    w.uint(s.index[local]);
    w.bytes(bytes, p, end);
    s.line = end;
  }
}

/** The run's counters from the shards' (see docs/multicore.md §5). */
export function mergeCounters(c: Counters, ends: readonly ShardEnd[], merge: ShardMerge): void {
  Object.assign(c, ends[0].counters);
  let frag6 = ends[0].counters.numFragV6Packets;
  for (let s = 1; s < ends.length; s++) {
    const o = ends[s].counters;
    for (const k of OWNER_SUMS) (c[k] as number) += o[k];
    frag6 += o.numFragV6Packets - ends[s].ip6FragHeaders;
    for (const k of OWNER_ARRAYS) {
      const to = c[k];
      const from = o[k];
      for (let j = 0; j < to.length; j++) to[j] += from[j];
    }
    c.globalWarnLo |= o.globalWarnLo;
    c.globalWarnHi |= o.globalWarnHi;
  }
  c.numFragV6Packets = frag6;
  c.totalfIndex = merge.findex;
  c.maxNumFlows = merge.inMemory;
  c.maxNumFlowsPeak = merge.peak;
}

/** Counters only a packet's (or flow's) own shard counts. */
const OWNER_SUMS = [
  "numAPackets",
  "numBPackets",
  "numABytes",
  "numBBytes",
  "numFragV4Packets",
  "totalAFlows",
  "totalBFlows",
  "totalIPv4Flows",
  "totalIPv6Flows",
  "totalL2Flows",
  "corrReplFlws",
  "totalRmFlows",
] as const;

const OWNER_ARRAYS = ["numPacketsL2", "numBytesL2", "numPacketsL3", "numBytesL3"] as const;
