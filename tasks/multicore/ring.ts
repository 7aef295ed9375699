/**
 * PROTOTYPE (issue 15): one reader feeding N shard workers through one broadcast ring in a
 * SharedArrayBuffer. Every record goes into the ring once (header + captured bytes); every
 * worker reads every record (it needs every packet's time) and dissects only those the
 * reader marked as its own. No message per packet: positions are published with Atomics every
 * {@linkcode PUBLISH_EVERY} records and waited for with Atomics.wait (workers) or
 * Atomics.waitAsync (the reader, whose event loop also receives the workers' row batches).
 *
 * Record: u32 capLen (0xffffffff: wrap to offset 0), u32 wireLen, f64 tsSec, u32 tsNs,
 * u16 linkType, u8 shard, u8 0, then capLen bytes, padded to 8.
 *
 * @module
 */

/** Header bytes of a record. */
export const RECORD_HEADER = 24;
/** Records between two publications of the writer's position. */
export const PUBLISH_EVERY = 64;
const WRAP = 0xffffffff;

/** Control words (BigInt64): 0 write position, 1 ended, 2.. read position of each worker. */
export class Ring {
  readonly sab: SharedArrayBuffer;
  readonly ctrlSab: SharedArrayBuffer;
  readonly size: number;
  readonly bytes: Uint8Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
  readonly ctrl: BigInt64Array;

  constructor(size: number, readers: number);
  constructor(sab: SharedArrayBuffer, ctrlSab: SharedArrayBuffer);
  constructor(a: number | SharedArrayBuffer, b: number | SharedArrayBuffer) {
    this.sab = typeof a === "number" ? new SharedArrayBuffer(a) : a;
    this.ctrlSab = typeof b === "number" ? new SharedArrayBuffer(8 * (2 + b)) : b;
    this.size = this.sab.byteLength;
    this.bytes = new Uint8Array(this.sab);
    this.u32 = new Uint32Array(this.sab);
    this.f64 = new Float64Array(this.sab);
    this.ctrl = new BigInt64Array(this.ctrlSab);
  }
}

/** The reader's side. */
export class RingWriter {
  readonly #r: Ring;
  readonly #readers: number;
  #w = 0;
  #unpublished = 0;
  /** Lowest read position seen last time (space up to it + size is free). */
  #minRead = 0;
  waits = 0;

  constructor(ring: Ring, readers: number) {
    this.#r = ring;
    this.#readers = readers;
  }

  /** Space for a record of `capLen` bytes (false: wait with {@linkcode waitForSpace} first). */
  hasRoom(capLen: number): boolean {
    // A record that does not fit before the end wastes the rest (less than itself).
    const need = 2 * (RECORD_HEADER + ((capLen + 7) & ~7));
    if (this.#w + need - this.#minRead <= this.#r.size) return true;
    this.#readMin();
    return this.#w + need - this.#minRead <= this.#r.size;
  }

  #readMin(): void {
    let m = Infinity;
    for (let i = 0; i < this.#readers; i++) {
      m = Math.min(m, Number(Atomics.load(this.#r.ctrl, 2 + i)));
    }
    this.#minRead = m;
  }

  /** Wait (without blocking the event loop) until the slowest reader moved on. */
  async waitForSpace(): Promise<void> {
    this.publish();
    this.waits++;
    const r = this.#r;
    // Wait on the slowest reader's position.
    let slow = 0;
    let m = Infinity;
    for (let i = 0; i < this.#readers; i++) {
      const v = Number(Atomics.load(r.ctrl, 2 + i));
      if (v < m) {
        m = v;
        slow = i;
      }
    }
    const res = Atomics.waitAsync(r.ctrl, 2 + slow, BigInt(m), 50);
    if (res.async) await res.value;
    this.#readMin();
  }

  /** Append one record (room must have been checked). */
  put(
    data: Uint8Array,
    offset: number,
    capLen: number,
    wireLen: number,
    tsSec: number,
    tsNs: number,
    linkType: number,
    shard: number,
  ): void {
    const r = this.#r;
    let o = this.#w % r.size;
    const rec = RECORD_HEADER + ((capLen + 7) & ~7);
    if (o + rec > r.size) {
      r.u32[o >> 2] = WRAP;
      this.#w += r.size - o;
      o = 0;
    }
    const w = o >> 2;
    r.u32[w] = capLen;
    r.u32[w + 1] = wireLen;
    r.f64[(o >> 3) + 1] = tsSec;
    r.u32[w + 4] = tsNs;
    r.u32[w + 5] = linkType | (shard << 16);
    r.bytes.set(data.subarray(offset, offset + capLen), o + RECORD_HEADER);
    this.#w += rec;
    if (++this.#unpublished >= PUBLISH_EVERY) this.publish();
  }

  publish(): void {
    if (this.#unpublished === 0) return;
    this.#unpublished = 0;
    Atomics.store(this.#r.ctrl, 0, BigInt(this.#w));
    Atomics.notify(this.#r.ctrl, 0);
  }

  end(): void {
    this.#unpublished = 1;
    Atomics.store(this.#r.ctrl, 1, 1n);
    this.publish();
  }
}

/** A worker's side: calls `each` for every record, blocking while the ring is empty. */
export function readRing(
  ring: Ring,
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
  const ctrl = ring.ctrl;
  let r = 0;
  let waits = 0;
  let n = 0;
  for (;;) {
    let w = Number(Atomics.load(ctrl, 0));
    if (r === w) {
      Atomics.store(ctrl, 2 + me, BigInt(r));
      Atomics.notify(ctrl, 2 + me);
      if (Atomics.load(ctrl, 1) === 1n && Number(Atomics.load(ctrl, 0)) === r) break;
      waits++;
      Atomics.wait(ctrl, 0, BigInt(w), 20);
      continue;
    }
    while (r < w) {
      let o = r % ring.size;
      if (ring.u32[o >> 2] === WRAP) {
        r += ring.size - o;
        o = 0;
        if (r >= w) break;
      }
      const x = o >> 2;
      const capLen = ring.u32[x];
      const lt = ring.u32[x + 5];
      const shard = lt >>> 16;
      each(
        ring.bytes,
        o + RECORD_HEADER,
        capLen,
        ring.u32[x + 1],
        ring.f64[(o >> 3) + 1],
        ring.u32[x + 4],
        lt & 0xffff,
        shard === me ? 1 : 0,
      );
      r += RECORD_HEADER + ((capLen + 7) & ~7);
      if ((++n & 1023) === 0) {
        Atomics.store(ctrl, 2 + me, BigInt(r));
        Atomics.notify(ctrl, 2 + me);
        between();
        w = Number(Atomics.load(ctrl, 0));
      }
    }
  }
  return { waits };
}
