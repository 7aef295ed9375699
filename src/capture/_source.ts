/**
 * Private helper of the capture readers: one large reusable byte window over a file, stdin or an
 * in-memory buffer.
 *
 * The window `buf[pos, end)` holds unread input; `base` is the input offset of `buf[0]`. Readers
 * parse records straight out of `buf` and advance `pos`. When a record does not fit in what is
 * buffered, {@linkcode ByteSource.fill} moves the unread tail to the start of the buffer (or grows
 * the buffer when one record is bigger than all of it) and reads more. Memory stays bounded by
 * the buffer size and the largest record, whatever the input size.
 *
 * @module
 */

/** The part of `Deno.FsFile` (or `Deno.stdin`) that a source reads through. */
export interface SyncReadable {
  /** Reads into `p`; returns the byte count, or `null` at the end of the input. */
  readSync(p: Uint8Array): number | null;
  /** Why the input ended early, when it can tell (a decompressor's damaged data). */
  readonly error?: string | null;
}

/**
 * Default size of the reusable buffer: 256 KiB. Reading the 98 MB benchmark capture took 28 ms
 * with it as with 1 MiB, and every byte of the buffer counts in the peak RSS.
 */
export const DEFAULT_BUFFER_SIZE = 256 * 1024;

/** A buffered, forward-only byte source; see the module doc. */
export class ByteSource {
  /** The reusable buffer (replaced only when it has to grow). */
  buf: Uint8Array;
  /** A DataView over {@linkcode buf} (replaced with it). */
  view: DataView;
  /** Read cursor in {@linkcode buf}. */
  pos = 0;
  /** End of the valid bytes in {@linkcode buf}. */
  end = 0;
  /** Input offset of `buf[0]`. */
  base = 0;
  /** `true` once the input has reported its end (always for in-memory sources). */
  eof = false;
  /** Input size in bytes, or 0 when unknown (stdin). */
  readonly size: number;

  #input: SyncReadable | null;

  /**
   * @param input a synchronous reader, or the whole input as bytes (used in place, no copy)
   * @param size the input size when known, else 0
   * @param bufferSize size of the reusable buffer for reader inputs
   */
  constructor(input: SyncReadable | Uint8Array, size: number, bufferSize = DEFAULT_BUFFER_SIZE) {
    if (input instanceof Uint8Array) {
      this.#input = null;
      this.buf = input;
      this.end = input.length;
      this.eof = true;
      this.size = input.length;
    } else {
      this.#input = input;
      // A small file does not need a large buffer.
      const want = size > 0 ? Math.min(bufferSize, Math.max(size, 64)) : bufferSize;
      this.buf = new Uint8Array(want);
      this.size = size;
    }
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Why the input ended early (a compressed capture's damaged data), or null. */
  get inputError(): string | null {
    return this.#input?.error ?? null;
  }

  /** Input offset of the read cursor. */
  get offset(): number {
    return this.base + this.pos;
  }

  /**
   * Makes at least `n` bytes available from {@linkcode pos} (moving them to the start of the
   * buffer or growing it if needed) and returns how many are available, which is less than `n`
   * only at the end of the input. May replace {@linkcode buf} and {@linkcode view} and change
   * {@linkcode pos}: views handed out earlier become invalid.
   */
  fill(n: number): number {
    let have = this.end - this.pos;
    if (have >= n) return n;
    const input = this.#input;
    if (input === null || this.eof) return have;
    if (n > this.buf.length) {
      // One record is bigger than the whole buffer: grow (rare; bounded by the record size).
      let size = this.buf.length * 2;
      while (size < n) size *= 2;
      const bigger = new Uint8Array(size);
      bigger.set(this.buf.subarray(this.pos, this.end));
      this.buf = bigger;
      this.view = new DataView(bigger.buffer);
      this.#shift(have);
    } else if (this.pos + n > this.buf.length) {
      // The record straddles the buffer end: move the unread tail to the front.
      this.buf.copyWithin(0, this.pos, this.end);
      this.#shift(have);
    }
    const buf = this.buf;
    while (have < n) {
      const got = input.readSync(buf.subarray(this.end));
      if (got === null || got === 0) {
        this.eof = true;
        break;
      }
      this.end += got;
      have += got;
    }
    return have < n ? have : n;
  }

  /** Accounts for moving the unread bytes (`have` of them) to the buffer start. */
  #shift(have: number): void {
    this.base += this.pos;
    this.pos = 0;
    this.end = have;
  }
}
