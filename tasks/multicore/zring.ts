/**
 * PROTOTYPE (issue 15): the reader of design a without copying packets. The capture file is
 * read straight into shared chunks (a SharedArrayBuffer; `readSync` into a view of it works),
 * and the workers get one 32-byte descriptor per record (where its bytes are, lengths, time,
 * link type, shard), so the reader's work per record is parsing the record header, finding the
 * shard and writing the descriptor. Only classic pcap (either byte order, µs or ns); enough to
 * measure the reader's cost on the benchmark captures (shard_work.ts `zreader`).
 *
 * Descriptor (u32 words): 0 byte offset of the packet in the data buffer, 1 capLen,
 * 2 wireLen, 3 tsNs, 4-5 tsSec (f64), 6 linkType | shard << 16, 7 chunk.
 *
 * @module
 */

/** Parses a pcap file read into shared chunks and emits record descriptors. */
export class ZeroCopyPcap {
  readonly data: SharedArrayBuffer;
  readonly bytes: Uint8Array;
  readonly chunkSize: number;
  readonly chunks: number;
  readonly #file: Deno.FsFile;
  readonly #le: boolean;
  readonly #nsRes: boolean;
  readonly linkType: number;
  readonly #dv: DataView;
  #chunk = 0;
  /** Parse position and end of valid bytes, in the current chunk (absolute offsets). */
  #pos = 0;
  #end = 0;
  #eof = false;
  // The current record.
  offset = 0;
  capLen = 0;
  wireLen = 0;
  tsSec = 0;
  tsNs = 0;
  chunkIndex = 0;
  /** Whether chunk `c` may be refilled (no worker still reads a record in it). */
  canReuse: (chunk: number) => boolean = () => true;
  /** After {@linkcode next} returned -1: the chunk it waits for. */
  waitingFor = -1;

  constructor(path: string, chunkSize = 1 << 20, chunks = 8) {
    this.chunkSize = chunkSize;
    this.chunks = chunks;
    // 64 KiB of slack after each chunk: a record that does not fit is copied to the next one.
    this.data = new SharedArrayBuffer(chunks * chunkSize);
    this.bytes = new Uint8Array(this.data);
    this.#dv = new DataView(this.data);
    this.#file = Deno.openSync(path);
    const head = new Uint8Array(24);
    this.#file.readSync(head);
    const magic = new DataView(head.buffer).getUint32(0, true);
    this.#le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
    const m = this.#le ? magic : new DataView(head.buffer).getUint32(0, false);
    this.#nsRes = m === 0xa1b23c4d;
    this.linkType = new DataView(head.buffer).getUint32(20, this.#le) & 0x0fffffff;
    this.#pos = this.#end = 0;
    this.#fill(0, 0);
  }

  /** Refill chunk `c`, keeping `keep` bytes of an unfinished record at its start. */
  #fill(c: number, keep: number): void {
    const base = c * this.chunkSize;
    let end = base + keep;
    const limit = base + this.chunkSize;
    while (end < limit && !this.#eof) {
      const n = this.#file.readSync(this.bytes.subarray(end, limit));
      if (n === null || n === 0) this.#eof = true;
      else end += n;
    }
    this.#chunk = c;
    this.#pos = base;
    this.#end = end;
  }

  /** Next record: 1; 0 at the end; -1 when the next chunk is still in use (call again later). */
  step(): number {
    for (;;) {
      const avail = this.#end - this.#pos;
      if (avail >= 16) {
        const p = this.#pos;
        const capLen = this.#dv.getUint32(p + 8, this.#le);
        if (avail >= 16 + capLen) {
          this.tsSec = this.#dv.getUint32(p, this.#le);
          const frac = this.#dv.getUint32(p + 4, this.#le);
          this.tsNs = this.#nsRes ? frac : frac * 1000;
          this.capLen = capLen;
          this.wireLen = this.#dv.getUint32(p + 12, this.#le);
          this.offset = p + 16;
          this.chunkIndex = this.#chunk;
          this.#pos = p + 16 + capLen;
          return 1;
        }
      }
      if (this.#eof && avail < 16) return 0;
      const next = (this.#chunk + 1) % this.chunks;
      if (!this.canReuse(next)) {
        this.waitingFor = next;
        return -1;
      }
      this.bytes.copyWithin(next * this.chunkSize, this.#pos, this.#end);
      this.#fill(next, avail);
      if (this.#eof && this.#end - this.#pos < 16) return 0;
    }
  }

  /** Next record; false at the end (no other thread reads the chunks). */
  next(): boolean {
    for (;;) {
      const avail = this.#end - this.#pos;
      if (avail >= 16) {
        const p = this.#pos;
        const capLen = this.#dv.getUint32(p + 8, this.#le);
        if (avail >= 16 + capLen) {
          this.tsSec = this.#dv.getUint32(p, this.#le);
          const frac = this.#dv.getUint32(p + 4, this.#le);
          this.tsNs = this.#nsRes ? frac : frac * 1000;
          this.capLen = capLen;
          this.wireLen = this.#dv.getUint32(p + 12, this.#le);
          this.offset = p + 16;
          this.chunkIndex = this.#chunk;
          this.#pos = p + 16 + capLen;
          return true;
        }
      }
      if (this.#eof && avail === 0) return false;
      if (this.#eof && avail < 16) return false;
      // Move the unfinished record to the next chunk and fill the rest.
      const next = (this.#chunk + 1) % this.chunks;
      const dst = next * this.chunkSize;
      this.bytes.copyWithin(dst, this.#pos, this.#end);
      this.#fill(next, avail);
      if (this.#eof && this.#end - this.#pos < 16) return false;
    }
  }

  close(): void {
    this.#file.close();
  }
}

/** A ring of descriptors in shared memory. */
export class Descriptors {
  readonly sab: SharedArrayBuffer;
  /** Control (BigInt64): 0 descriptors published, 1 ended, 2.. descriptors each worker read. */
  readonly ctrlSab: SharedArrayBuffer;
  readonly ctrl: BigInt64Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
  readonly size: number;
  #w = 0;

  constructor(size = 1 << 16, readers = 0, sab?: SharedArrayBuffer, ctrlSab?: SharedArrayBuffer) {
    this.size = size;
    this.sab = sab ?? new SharedArrayBuffer(size * 32);
    this.ctrlSab = ctrlSab ?? new SharedArrayBuffer(8 * (2 + readers));
    this.ctrl = new BigInt64Array(this.ctrlSab);
    this.u32 = new Uint32Array(this.sab);
    this.f64 = new Float64Array(this.sab);
  }

  /** Write the descriptor of the current record of `r` with its shard. */
  put(r: ZeroCopyPcap, shard: number): void {
    const i = (this.#w++ % this.size) * 8;
    const u = this.u32;
    u[i] = r.offset;
    u[i + 1] = r.capLen;
    u[i + 2] = r.wireLen;
    u[i + 3] = r.tsNs;
    this.f64[(i >> 1) + 2] = r.tsSec;
    u[i + 6] = r.linkType | (shard << 16);
    u[i + 7] = r.chunkIndex;
  }

  get written(): number {
    return this.#w;
  }

  /** Lowest count of descriptors read by the `readers` workers. */
  minRead(readers: number): number {
    let m = Infinity;
    for (let i = 0; i < readers; i++) m = Math.min(m, Number(Atomics.load(this.ctrl, 2 + i)));
    return m;
  }

  /** Make the descriptors written so far visible to the workers. */
  publish(): void {
    Atomics.store(this.ctrl, 0, BigInt(this.#w));
    Atomics.notify(this.ctrl, 0);
  }

  end(): void {
    Atomics.store(this.ctrl, 1, 1n);
    this.publish();
  }
}

/**
 * A worker's side of the zero-copy ring: calls `each` for every record (in `data`), blocking
 * while there is none; `between` runs every 1024 records.
 */
export function readDescriptors(
  desc: Descriptors,
  data: Uint8Array,
  me: number,
  each: (
    data: Uint8Array,
    offset: number,
    capLen: number,
    wireLen: number,
    tsSec: number,
    tsNs: number,
    linkType: number,
    mine: number,
  ) => void,
  between: () => void,
): { waits: number } {
  const ctrl = desc.ctrl;
  const u = desc.u32;
  const f = desc.f64;
  let r = 0;
  let waits = 0;
  for (;;) {
    const w = Number(Atomics.load(ctrl, 0));
    if (r === w) {
      Atomics.store(ctrl, 2 + me, BigInt(r));
      Atomics.notify(ctrl, 2 + me);
      if (Atomics.load(ctrl, 1) === 1n && Number(Atomics.load(ctrl, 0)) === r) break;
      waits++;
      Atomics.wait(ctrl, 0, BigInt(w), 20);
      continue;
    }
    while (r < w) {
      const i = (r % desc.size) * 8;
      const lt = u[i + 6];
      each(
        data,
        u[i],
        u[i + 1],
        u[i + 2],
        f[(i >> 1) + 2],
        u[i + 3],
        lt & 0xffff,
        (lt >>> 16) === me ? 1 : 0,
      );
      r++;
      if ((r & 1023) === 0) {
        Atomics.store(ctrl, 2 + me, BigInt(r));
        Atomics.notify(ctrl, 2 + me);
        between();
      }
    }
  }
  return { waits };
}
