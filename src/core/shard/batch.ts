/**
 * The events a shard sends to the merge, in batches (one `postMessage` per batch, its arrays
 * transferred): flows created, flow lines (the output buffer's slots, strings and notes) and
 * packet lines, each with its place in one thread's order (docs/multicore.md §5):
 *
 * | event                              | keyHi                | keyLo            |
 * | ---------------------------------- | -------------------- | ---------------- |
 * | line of a timeout walk at packet n | n·512 + handler rank | LRU stamp met    |
 * | line at the end of the input       | (N+1)·512 + 300      | LRU stamp met    |
 * | flow created by packet n           | n·512 + 400          | 0                |
 * | packet line of packet n            | n·512 + 450          | 0                |
 *
 * A flow line goes as its values (the output buffer's slots) or, where the run's sink formats
 * in the shards (`PluginDefinition.flowLine`), as its bytes with the place of its flow index.
 *
 * Stamps are packet numbers (no two flows share one), so the keys of one shard increase and
 * no two shards share a key.
 *
 * @module
 */

/** Event kinds. */
export const EV_ROW = 0;
export const EV_CREATE = 1;
export const EV_LINE = 2;

/** keyHi units per packet. */
export const PER_PACKET = 512;
/** keyHi offset of the end-of-input lines. */
export const AT_FLUSH = 300;
/** keyHi offset of a flow creation. */
export const AT_CREATE = 400;
/** keyHi offset of a packet line. */
export const AT_LINE = 450;

/** One batch as posted (structured clone; the typed arrays are transferred). */
export interface ShardBatch {
  readonly shard: number;
  /** Packets this shard has processed: its later events are placed after packet `done`. */
  readonly done: number;
  readonly count: number;
  readonly kind: Uint8Array;
  readonly keyHi: Float64Array;
  readonly keyLo: Float64Array;
  /**
   * CREATE: the A flow's index in the shard (0: B flow); ROW: end of its slots (formatted:
   * of its bytes in `flowLines`); LINE: end.
   */
  readonly a: Float64Array;
  /** ROW: end of its strings (formatted: where its flow index begins in `flowLines`, or -1). */
  readonly b: Float64Array;
  /** ROW: end of its notes. */
  readonly c: Float64Array;
  readonly nums: Float64Array;
  readonly tags: Uint8Array;
  readonly strs: string[];
  readonly notes: Float64Array;
  readonly lines: Uint8Array;
  /** Formatted ROW: the shard's flow index of the line. */
  readonly local: Float64Array;
  /** The formatted flow lines' bytes. */
  readonly flowLines: Uint8Array;
}

/** Collects events into a batch. */
export class BatchBuilder {
  count = 0;
  #kind = new Uint8Array(4096);
  #keyHi = new Float64Array(4096);
  #keyLo = new Float64Array(4096);
  #a = new Float64Array(4096);
  #b = new Float64Array(4096);
  #c = new Float64Array(4096);
  #local = new Float64Array(4096);
  #nums = new Float64Array(1 << 16);
  #tags = new Uint8Array(1 << 16);
  numsLen = 0;
  #strs: string[] = [];
  #notes = new Float64Array(4096);
  #notesLen = 0;

  #event(kind: number, keyHi: number, keyLo: number): number {
    const i = this.count;
    if (i === this.#kind.length) this.#growEvents();
    this.#kind[i] = kind;
    this.#keyHi[i] = keyHi;
    this.#keyLo[i] = keyLo;
    this.count = i + 1;
    return i;
  }

  #growEvents(): void {
    const n = this.#kind.length * 2;
    this.#kind = grow(this.#kind, new Uint8Array(n));
    this.#keyHi = grow(this.#keyHi, new Float64Array(n));
    this.#keyLo = grow(this.#keyLo, new Float64Array(n));
    this.#a = grow(this.#a, new Float64Array(n));
    this.#b = grow(this.#b, new Float64Array(n));
    this.#c = grow(this.#c, new Float64Array(n));
    this.#local = grow(this.#local, new Float64Array(n));
  }

  create(keyHi: number, index: number): void {
    const i = this.#event(EV_CREATE, keyHi, 0); // first: it may grow #a
    this.#a[i] = index;
  }

  line(keyHi: number, end: number): void {
    const i = this.#event(EV_LINE, keyHi, 0); // first: it may grow #a
    this.#a[i] = end;
  }

  /** A flow line: `len` slots of `nums`/`tags`, strings `strs[0..strCount)`, notes. */
  row(
    keyHi: number,
    keyLo: number,
    nums: Float64Array,
    tags: Uint8Array,
    len: number,
    strs: readonly string[],
    notes: Float64Array,
    noteCount: number,
  ): void {
    const i = this.#event(EV_ROW, keyHi, keyLo);
    let at = this.numsLen;
    if (at + len > this.#nums.length) {
      const n = Math.max(this.#nums.length * 2, at + len);
      this.#nums = grow(this.#nums, new Float64Array(n));
      this.#tags = grow(this.#tags, new Uint8Array(n));
    }
    this.#nums.set(nums.subarray(0, len), at);
    this.#tags.set(tags.subarray(0, len), at);
    at += len;
    this.numsLen = at;
    this.#a[i] = at;
    // Only the strings a value refers to: S/SC slots hold indices into this line's strings.
    for (let s = 0; s < strs.length; s++) this.#strs.push(strs[s]);
    this.#b[i] = this.#strs.length;
    this.#note(i, notes, noteCount);
  }

  /**
   * A formatted flow line: its bytes end at `end` in the batch's flow lines, its flow index
   * `local` begins at `findexAt` (-1: not shown); notes as {@linkcode row}.
   */
  rowLine(
    keyHi: number,
    keyLo: number,
    end: number,
    findexAt: number,
    local: number,
    notes: Float64Array,
    noteCount: number,
  ): void {
    const i = this.#event(EV_ROW, keyHi, keyLo);
    this.#a[i] = end;
    this.#b[i] = findexAt;
    this.#local[i] = local;
    this.#note(i, notes, noteCount);
  }

  #note(i: number, notes: Float64Array, noteCount: number): void {
    let nl = this.#notesLen;
    if (nl + noteCount > this.#notes.length) {
      this.#notes = grow(
        this.#notes,
        new Float64Array(Math.max(this.#notes.length * 2, nl + noteCount)),
      );
    }
    this.#notes.set(notes.subarray(0, noteCount), nl);
    nl += noteCount;
    this.#notesLen = nl;
    this.#c[i] = nl;
  }

  /**
   * The batch so far (and a fresh start); `lines` are the packet lines' bytes, `flowLines`
   * the formatted flow lines'.
   */
  take(shard: number, done: number, lines: Uint8Array, flowLines: Uint8Array): ShardBatch {
    const n = this.count;
    const batch: ShardBatch = {
      shard,
      done,
      count: n,
      kind: this.#kind.slice(0, n),
      keyHi: this.#keyHi.slice(0, n),
      keyLo: this.#keyLo.slice(0, n),
      a: this.#a.slice(0, n),
      b: this.#b.slice(0, n),
      c: this.#c.slice(0, n),
      nums: this.#nums.slice(0, this.numsLen),
      tags: this.#tags.slice(0, this.numsLen),
      strs: this.#strs,
      notes: this.#notes.slice(0, this.#notesLen),
      lines,
      local: this.#local.slice(0, n),
      flowLines,
    };
    this.count = 0;
    this.numsLen = 0;
    this.#strs = [];
    this.#notesLen = 0;
    return batch;
  }
}

function grow<T extends Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** The buffers of a batch, for `postMessage`'s transfer list. */
export function transferables(b: ShardBatch): ArrayBuffer[] {
  return [
    b.kind,
    b.keyHi,
    b.keyLo,
    b.a,
    b.b,
    b.c,
    b.nums,
    b.tags,
    b.notes,
    b.lines,
    b.local,
    b.flowLines,
  ]
    .map(
      (x) => x.buffer as ArrayBuffer,
    );
}
