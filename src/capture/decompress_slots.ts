/**
 * The shared memory between the capture reader and its decompression worker: a ring of fixed
 * slots of decompressed bytes. The worker fills a slot and publishes it; the reader (which
 * reads synchronously, like every capture reader) waits for the next published slot with
 * `Atomics.wait`, copies it out, and hands the slot back. So decompressing runs on another
 * core, beside the analysis, with bounded memory.
 *
 * @module
 */

import type { ReadCompression } from "./format.ts";

/** What the worker is told to do. */
export interface DecompressJob {
  /** The file, or null for standard input. */
  readonly path: string | null;
  /** Bytes of the input already read (the magic bytes the format was told by). */
  readonly prefix: Uint8Array;
  readonly compression: ReadCompression;
  /** Control words (see the indexes below) and slot lengths. */
  readonly control: SharedArrayBuffer;
  /** `SLOTS` slots of `SLOT_SIZE` bytes. */
  readonly data: SharedArrayBuffer;
}

/** Slots in the ring. */
export const SLOTS = 8;
/** Bytes per slot. */
export const SLOT_SIZE = 256 * 1024;

const STATE = 0;
const PUBLISHED = 1;
const TAKEN = 2;
/** Set by the worker once it runs (a worker that cannot load never sets it). */
const STARTED = 3;
const ERROR_LENGTH = 4;
const LENGTHS = 5;
const ERROR_TEXT = (LENGTHS + SLOTS) * 4;
const ERROR_BYTES = 1024;

const RUNNING = 0;
const ENDED = 1;
const FAILED = 2;
/** Set by the reader: it is gone, the worker stops. */
const CANCELLED = 3;

/** How long the reader waits for the worker to start before it gives up. */
const START_TIMEOUT_MS = 20_000;

/** Fresh shared memory for one job. */
export function sharedMemory(): { control: SharedArrayBuffer; data: SharedArrayBuffer } {
  return {
    control: new SharedArrayBuffer(ERROR_TEXT + ERROR_BYTES),
    data: new SharedArrayBuffer(SLOTS * SLOT_SIZE),
  };
}

/** The worker's side: fills slots in turn. */
export class SlotWriter {
  readonly #ctl: Int32Array;
  readonly #data: Uint8Array;
  readonly #control: SharedArrayBuffer;
  /** Slots published so far. */
  #published = 0;
  /** Bytes in the slot being filled. */
  #fill = 0;

  constructor(job: DecompressJob) {
    this.#control = job.control;
    this.#ctl = new Int32Array(job.control, 0, LENGTHS + SLOTS);
    this.#data = new Uint8Array(job.data);
    Atomics.store(this.#ctl, STARTED, 1);
  }

  /** Copy `part` into the slots (waiting for free ones); false when the reader is gone. */
  put(part: Uint8Array): boolean {
    let at = 0;
    while (at < part.length) {
      if (!this.#waitForFreeSlot()) return false;
      const slot = this.#published % SLOTS;
      const n = Math.min(part.length - at, SLOT_SIZE - this.#fill);
      this.#data.set(part.subarray(at, at + n), slot * SLOT_SIZE + this.#fill);
      this.#fill += n;
      at += n;
      if (this.#fill === SLOT_SIZE) this.#publish();
    }
    return true;
  }

  /** The end of the input: publish what is left, then the end (or the error). */
  end(error: string | null): void {
    if (this.#fill > 0 && this.#waitForFreeSlot()) this.#publish();
    if (error !== null) {
      const bytes = new TextEncoder().encode(error).subarray(0, ERROR_BYTES);
      new Uint8Array(this.#control, ERROR_TEXT, ERROR_BYTES).set(bytes);
      Atomics.store(this.#ctl, ERROR_LENGTH, bytes.length);
    }
    Atomics.compareExchange(this.#ctl, STATE, RUNNING, error === null ? ENDED : FAILED);
    Atomics.notify(this.#ctl, PUBLISHED);
  }

  #publish(): void {
    this.#ctl[LENGTHS + (this.#published % SLOTS)] = this.#fill;
    this.#published++;
    this.#fill = 0;
    Atomics.store(this.#ctl, PUBLISHED, this.#published);
    Atomics.notify(this.#ctl, PUBLISHED);
  }

  /** Wait until the slot to fill is free; false when the reader is gone. */
  #waitForFreeSlot(): boolean {
    for (;;) {
      if (Atomics.load(this.#ctl, STATE) === CANCELLED) return false;
      const taken = Atomics.load(this.#ctl, TAKEN);
      if (this.#published - taken < SLOTS) return true;
      Atomics.wait(this.#ctl, TAKEN, taken, 1000);
    }
  }
}

/** The reader's side: a synchronous byte stream over the published slots. */
export class SlotReader {
  readonly #ctl: Int32Array;
  readonly #data: Uint8Array;
  readonly #control: SharedArrayBuffer;
  /** Slots taken so far (the current one included once it is held). */
  #taken = 0;
  #holding = false;
  #startError: string | null = null;
  #pos = 0;
  #len = 0;

  constructor(memory: { control: SharedArrayBuffer; data: SharedArrayBuffer }) {
    this.#control = memory.control;
    this.#ctl = new Int32Array(memory.control, 0, LENGTHS + SLOTS);
    this.#data = new Uint8Array(memory.data);
  }

  /** Up to `p.length` bytes into `p`; null at the end (or after an error: see {@linkcode error}). */
  readSync(p: Uint8Array): number | null {
    if (this.#pos >= this.#len && !this.#nextSlot()) return null;
    const n = Math.min(p.length, this.#len - this.#pos);
    const start = (this.#taken % SLOTS) * SLOT_SIZE + this.#pos;
    p.set(this.#data.subarray(start, start + n));
    this.#pos += n;
    return n;
  }

  /** Why the worker stopped early (damaged data), or null. */
  get error(): string | null {
    if (this.#startError !== null) return this.#startError;
    if (Atomics.load(this.#ctl, STATE) !== FAILED) return null;
    const n = Atomics.load(this.#ctl, ERROR_LENGTH);
    return new TextDecoder().decode(new Uint8Array(this.#control, ERROR_TEXT, n).slice());
  }

  /** Tell the worker to stop (it may be waiting for a free slot). */
  cancel(): void {
    Atomics.compareExchange(this.#ctl, STATE, RUNNING, CANCELLED);
    Atomics.notify(this.#ctl, TAKEN);
  }

  /** Whether the worker runs; false (and an error) once it has not started in time. */
  #started(): boolean {
    if (Atomics.load(this.#ctl, STARTED) === 1) return true;
    this.#waitedMs += 1000;
    if (this.#waitedMs < START_TIMEOUT_MS) return true;
    this.#startError = "the decompression worker did not start";
    this.cancel();
    return false;
  }

  #waitedMs = 0;

  /** Hand back the slot read, wait for the next one; false at the end. */
  #nextSlot(): boolean {
    if (this.#holding) {
      this.#holding = false;
      this.#taken++;
      Atomics.store(this.#ctl, TAKEN, this.#taken);
      Atomics.notify(this.#ctl, TAKEN);
    }
    for (;;) {
      const published = Atomics.load(this.#ctl, PUBLISHED);
      if (published > this.#taken) break;
      // The worker publishes its last slot before it sets the state: look again after it.
      if (Atomics.load(this.#ctl, STATE) !== RUNNING) {
        if (Atomics.load(this.#ctl, PUBLISHED) > this.#taken) break;
        return false;
      }
      if (Atomics.wait(this.#ctl, PUBLISHED, published, 1000) === "timed-out") {
        if (!this.#started()) return false;
      }
    }
    this.#holding = true;
    this.#pos = 0;
    this.#len = this.#ctl[LENGTHS + (this.#taken % SLOTS)];
    return true;
  }
}
