/**
 * PROTOTYPE (issue 15): the stream of flow rows, flow creations and packet lines from a shard to
 * the merge, in batches posted as transferred buffers (one message per batch, never per packet
 * or per row), and the merge that puts the shards' streams into the run's order.
 *
 * Order of events: a row's place is (`keyHi`, `keyLo`) with
 * `keyHi = packet × 1024 + phase` (phase: timeout handler rank 0-255, autopilot 256, end of
 * input 512 at packet N+1, flow creation 768) and `keyLo` the packet that last moved the flow
 * (the one its handler met first) to the head of the LRU list. Every shard emits its events in
 * that order, so the merge is a k-way merge of sorted streams, safe up to the packet every
 * shard has passed.
 *
 * @module
 */

import { OutputBuffer, Tag } from "../../src/plugin/output_buffer.ts";
import type { Column } from "../../src/plugin/columns.ts";
import { ByteWriter } from "../../src/output/byte_writer.ts";
import type { RowSink } from "./shard_engine.ts";
import { RowText } from "./proto_txt.ts";

/** One batch of a shard's stream. */
export interface Batch {
  readonly shard: number;
  /** Every packet up to this one is done in the shard (its events are in this or earlier batches). */
  readonly progress: number;
  /**
   * Finer: every event of the shard up to this place (keyHi, keyLo) is in this or earlier
   * batches (a flush in the middle of a walk or of the end-of-input flush).
   */
  readonly progressKey?: readonly [number, number];
  readonly done: boolean;
  /**
   * Per row: keyHi, keyLo, then first slot, slots, first string (binary rows) or first byte,
   * end byte in `rowText`, the shard's findex (text rows).
   */
  readonly rowIndex: Float64Array;
  /** Text rows: the rows as txtSink writes them (with the shard's findex). */
  readonly rowText: Uint8Array | null;
  readonly nums: Float64Array;
  readonly tags: Uint8Array;
  readonly strs: string[];
  /** Per creation: packet, findex (0: B flow). */
  readonly created: Float64Array;
  /** Packet mode, per line: packet, findex (the shard's), end offset in `lineBytes`. */
  readonly lines: Float64Array;
  readonly lineBytes: Uint8Array;
  /** Shard counters at the end (done only): numbers the merge sums. */
  readonly stats?: Record<string, number>;
}

/** Growable Float64 list. */
class F64List {
  a = new Float64Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  take(): Float64Array {
    const out = this.a.slice(0, this.n);
    this.n = 0;
    return out;
  }
}

/** A shard's side: collects rows and events, posts them in batches. */
export class RowBatcher implements RowSink {
  readonly #shard: number;
  readonly #post: (b: Batch, transfer: ArrayBuffer[]) => void;
  readonly #index = new F64List();
  readonly #nums = new F64List();
  #tags = new Uint8Array(1 << 16);
  #strs: string[] = [];
  readonly #created = new F64List();
  readonly #lines = new F64List();
  /** Packet mode: the shard's packet writer (in memory), whose bytes go with each batch. */
  takeLineBytes: (() => Uint8Array) | null = null;
  lineBytesWritten: (() => number) | null = null;
  #lineBase = 0;
  rows = 0;
  /** Text rows: the columns (set to format rows in the shard). */
  textColumns: readonly Column[] | null = null;
  readonly #text = new ByteWriter(null, 1 << 16);
  readonly #rowText = new RowText();

  constructor(shard: number, post: (b: Batch, transfer: ArrayBuffer[]) => void) {
    this.#shard = shard;
    this.#post = post;
  }

  /** Post on its own once this many row bytes or slots wait (streams the end-of-input flush). */
  autoFlushAt = 1 << 20;
  /** The packet the shard is at, for automatic flushes. */
  currentPacket = 0;

  row(keyHi: number, keyLo: number, out: OutputBuffer): void {
    this.#row(keyHi, keyLo, out);
    if (this.#text.position >= this.autoFlushAt || this.#nums.n * 8 >= this.autoFlushAt) {
      this.flush(this.currentPacket, false, undefined, [keyHi, keyLo]);
    }
  }

  #row(keyHi: number, keyLo: number, out: OutputBuffer): void {
    if (this.textColumns) {
      const start = this.#text.position;
      this.#rowText.format(this.#text, out, this.textColumns);
      this.#index.push(keyHi);
      this.#index.push(keyLo);
      this.#index.push(start);
      this.#index.push(this.#text.position);
      this.#index.push(out.nums[1]);
      this.rows++;
      return;
    }
    const at = this.#nums.n;
    const len = out.length;
    this.#index.push(keyHi);
    this.#index.push(keyLo);
    this.#index.push(at);
    this.#index.push(len);
    this.#index.push(this.#strs.length);
    if (at + len > this.#tags.length) {
      let size = this.#tags.length * 2;
      while (size < at + len) size *= 2;
      const t = new Uint8Array(size);
      t.set(this.#tags.subarray(0, at));
      this.#tags = t;
    }
    const nums = out.nums;
    const tags = out.tags;
    let strings = 0;
    for (let i = 0; i < len; i++) {
      const tag = tags[i];
      this.#tags[at + i] = tag;
      if (tag === Tag.S || tag === Tag.SC) {
        this.#strs.push(out.strs[nums[i]]);
        this.#nums.push(strings++);
      } else this.#nums.push(nums[i]);
    }
    this.rows++;
  }

  created(pktNo: number, findex: number): void {
    this.#created.push(pktNo);
    this.#created.push(findex);
  }

  packetLine(pktNo: number, findex: number): void {
    this.#lines.push(pktNo);
    this.#lines.push(findex);
    this.#lines.push(this.lineBytesWritten!() - this.#lineBase);
  }

  /** Packet mode: line offsets count from here (after the header the shard's plugins wrote). */
  startLines(): void {
    this.#lineBase = this.lineBytesWritten ? this.lineBytesWritten() : 0;
  }

  /** Rows and slots waiting (to decide when to post). */
  get pending(): number {
    return this.#nums.n + this.#lines.n * 8;
  }

  /** Post what was collected, with the shard's progress. */
  flush(
    progress: number,
    done = false,
    stats?: Record<string, number>,
    progressKey?: [number, number],
  ): void {
    const slots = this.#nums.n;
    const lineBytes = this.takeLineBytes ? this.takeLineBytes() : new Uint8Array(0);
    this.#lineBase += lineBytes.length;
    const b: Batch = {
      shard: this.#shard,
      progress,
      progressKey,
      done,
      rowIndex: this.#index.take(),
      rowText: this.textColumns ? this.#text.takeBytes() : null,
      nums: this.#nums.take(),
      tags: this.#tags.slice(0, slots),
      strs: this.#strs,
      created: this.#created.take(),
      lines: this.#lines.take(),
      lineBytes,
      stats,
    };
    this.#strs = [];
    this.#post(b, [
      b.rowIndex.buffer as ArrayBuffer,
      b.nums.buffer as ArrayBuffer,
      b.tags.buffer as ArrayBuffer,
      b.created.buffer as ArrayBuffer,
      b.lines.buffer as ArrayBuffer,
      b.lineBytes.buffer as ArrayBuffer,
      ...(b.rowText ? [b.rowText.buffer as ArrayBuffer] : []),
    ]);
  }
}

/** Where merged output goes. */
export interface MergeOutput {
  /** A flow row in the run's order, with the run's findex already in slot 1. */
  row(out: OutputBuffer): void;
  /** A text row (`bytes[start, end)`, with the shard's findex) and the run's findex. */
  rowText(bytes: Uint8Array, start: number, end: number, findex: number): void;
  /** Packet mode: `pktNo\tflowInd\t` then the line's bytes. */
  packetLine(pktNo: number, findex: number, bytes: Uint8Array, start: number, end: number): void;
}

/** Cursors over the queued batches of one shard: events (rows, creations) and packet lines. */
class ShardQueue {
  batches: Batch[] = [];
  progress = 0;
  progressKey: readonly [number, number] | undefined;
  done = false;
  /** Batch of the next event, and the next row and creation in it. */
  ev = 0;
  row = 0;
  cre = 0;
  /** Batch of the next packet line, and the line in it. */
  lb = 0;
  line = 0;
  /** Map from the shard's findex to the run's. */
  findex = new Float64Array(1024);
  stats: Record<string, number> | undefined;

  /** The batch holding the next event, or undefined when none is queued. */
  evBatch(): Batch | undefined {
    for (;;) {
      const b = this.batches[this.ev];
      if (!b) return undefined;
      if (this.row * 5 < b.rowIndex.length || this.cre * 2 < b.created.length) return b;
      if (this.ev + 1 >= this.batches.length) return undefined;
      this.ev++;
      this.row = this.cre = 0;
      this.#drop();
    }
  }

  /** The batch holding the next packet line, or undefined. */
  lineBatch(): Batch | undefined {
    for (;;) {
      const b = this.batches[this.lb];
      if (!b) return undefined;
      if (this.line * 3 < b.lines.length) return b;
      if (this.lb + 1 >= this.batches.length) return undefined;
      this.lb++;
      this.line = 0;
      this.#drop();
    }
  }

  /** Forget batches both cursors are past. */
  #drop(): void {
    const n = Math.min(this.ev, this.lb);
    if (n > 0) {
      this.batches.splice(0, n);
      this.ev -= n;
      this.lb -= n;
    }
  }

  mapFindex(local: number, global: number): void {
    if (local >= this.findex.length) {
      let size = this.findex.length * 2;
      while (size <= local) size *= 2;
      const f = new Float64Array(size);
      f.set(this.findex);
      this.findex = f;
    }
    this.findex[local] = global;
  }
}

/** The merge: feed it batches, it emits rows and packet lines in the run's order. */
export class Merge {
  readonly #q: ShardQueue[];
  readonly #out: MergeOutput;
  readonly #buf = new OutputBuffer();
  totalfIndex = 0;
  live = 0;
  peak = 0;
  rows = 0;

  constructor(shards: number, out: MergeOutput) {
    this.#q = Array.from({ length: shards }, () => new ShardQueue());
    this.#out = out;
  }

  get finished(): boolean {
    return this.#q.every((q) => q.done && !q.evBatch() && !q.lineBatch());
  }

  stats(): (Record<string, number> | undefined)[] {
    return this.#q.map((q) => q.stats);
  }

  add(b: Batch): void {
    const q = this.#q[b.shard];
    q.batches.push(b);
    q.progress = b.progress;
    q.progressKey = b.progressKey;
    if (b.done) {
      q.done = true;
      q.stats = b.stats;
    }
    this.#advance();
  }

  /** Emit every event of packets that every shard has passed. */
  #advance(): void {
    // The place up to which every shard has sent its events.
    let safeHi = Infinity;
    let safeLo = Infinity;
    for (const q of this.#q) {
      if (q.done) continue;
      const hi = q.progressKey ? q.progressKey[0] : q.progress * 1024 + 1023;
      const lo = q.progressKey ? q.progressKey[1] : Infinity;
      if (hi < safeHi || (hi === safeHi && lo < safeLo)) {
        safeHi = hi;
        safeLo = lo;
      }
    }
    const safe = safeHi === Infinity ? Infinity : Math.floor((safeHi - 800) / 1024);
    const qs = this.#q;
    // Events (rows and creations) in key order.
    for (;;) {
      let best = -1;
      let bestHi = Infinity;
      let bestLo = Infinity;
      let bestIsRow = false;
      for (let s = 0; s < qs.length; s++) {
        const q = qs[s];
        const b = q.evBatch();
        if (!b) continue;
        const r = q.row * 5;
        const c = q.cre * 2;
        const creHi = c < b.created.length ? b.created[c] * 1024 + 768 : Infinity;
        let hi = creHi;
        let lo = 0;
        let isRow = false;
        if (r < b.rowIndex.length && b.rowIndex[r] < creHi) {
          hi = b.rowIndex[r];
          lo = b.rowIndex[r + 1];
          isRow = true;
        }
        if (hi < bestHi || (hi === bestHi && lo < bestLo)) {
          best = s;
          bestHi = hi;
          bestLo = lo;
          bestIsRow = isRow;
        }
      }
      if (best < 0 || bestHi > safeHi || (bestHi === safeHi && bestLo > safeLo)) break;
      const q = qs[best];
      const b = q.evBatch()!;
      if (bestIsRow) this.#emitRow(q, b);
      else {
        const local = b.created[q.cre * 2 + 1];
        q.cre++;
        this.live++;
        if (this.live > this.peak) this.peak = this.live;
        if (local > 0) q.mapFindex(local, ++this.totalfIndex);
      }
    }
    // Packet lines up to the safe packet, in packet order.
    for (;;) {
      let best = -1;
      let bestPkt = Infinity;
      for (let s = 0; s < qs.length; s++) {
        const q = qs[s];
        const b = q.lineBatch();
        if (!b) continue;
        const pkt = b.lines[q.line * 3];
        if (pkt < bestPkt) {
          bestPkt = pkt;
          best = s;
        }
      }
      if (best < 0 || bestPkt > safe) break;
      const q = qs[best];
      const b = q.lineBatch()!;
      const i = q.line * 3;
      const start = i === 0 ? 0 : b.lines[i - 1];
      this.#out.packetLine(
        b.lines[i],
        q.findex[b.lines[i + 1]],
        b.lineBytes,
        start,
        b.lines[i + 2],
      );
      q.line++;
    }
  }

  #emitRow(q: ShardQueue, b: Batch): void {
    const i = q.row * 5;
    if (b.rowText) {
      q.row++;
      this.live--;
      this.rows++;
      this.#out.rowText(
        b.rowText,
        b.rowIndex[i + 2],
        b.rowIndex[i + 3],
        q.findex[b.rowIndex[i + 4]],
      );
      return;
    }
    const at = b.rowIndex[i + 2];
    const len = b.rowIndex[i + 3];
    const s0 = b.rowIndex[i + 4];
    q.row++;
    const out = this.#buf;
    out.reset();
    out.nums = b.nums.subarray(at, at + len);
    out.tags = b.tags.subarray(at, at + len);
    // The row's string slots number its strings from 0 (see RowBatcher.row).
    for (let j = 0; j < len; j++) {
      const tag = out.tags[j];
      if (tag === Tag.S || tag === Tag.SC) out.strs[out.nums[j]] = b.strs[s0 + out.nums[j]];
    }
    out.length = len;
    out.nums[1] = q.findex[out.nums[1]];
    this.live--;
    this.rows++;
    this.#out.row(out);
  }
}
