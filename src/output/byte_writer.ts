/**
 * A buffered text writer: values are formatted straight into one large byte buffer that is
 * written to the file in big chunks (never one write per value).
 *
 * @module
 */

/** Where the bytes go. */
export interface ByteSink {
  writeSync(p: Uint8Array): number;
}

const DIGITS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  DIGITS[2 * i] = 48 + Math.floor(i / 10);
  DIGITS[2 * i + 1] = 48 + (i % 10);
}
const HEX = new TextEncoder().encode("0123456789abcdef");
const encoder = new TextEncoder();

/** Buffered writer with number and text primitives. */
export class ByteWriter {
  #sink: ByteSink | null;
  #buf: Uint8Array;
  #pos = 0;
  /** Bytes written since creation (flushed or not). */
  written = 0;

  /**
   * @param sink Destination; `null` keeps everything in memory (see {@linkcode takeBytes}).
   * @param size Buffer size in bytes.
   */
  constructor(sink: ByteSink | null, size = 1 << 20) {
    this.#sink = sink;
    this.#buf = new Uint8Array(size);
  }

  /** Make room for `n` more bytes, flushing (or growing when in memory). */
  ensure(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    if (this.#sink && n <= this.#buf.length) {
      this.flush();
      return;
    }
    let size = this.#buf.length * 2;
    while (size < this.#pos + n) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.#buf.subarray(0, this.#pos));
    this.#buf = bigger;
  }

  /** Write buffered bytes to the sink. */
  flush(): void {
    if (!this.#sink) return;
    let off = 0;
    while (off < this.#pos) off += this.#sink.writeSync(this.#buf.subarray(off, this.#pos));
    this.#pos = 0;
  }

  /** In-memory writer only: the bytes written so far (and reset). */
  takeBytes(): Uint8Array {
    const out = this.#buf.slice(0, this.#pos);
    this.#pos = 0;
    return out;
  }

  /** Direct access for fast formatters: the buffer after `ensure(n)`. */
  get buffer(): Uint8Array {
    return this.#buf;
  }

  /** Direct access: current position. */
  get position(): number {
    return this.#pos;
  }

  /** Direct access: set the position after writing into {@linkcode buffer}. */
  set position(pos: number) {
    this.written += pos - this.#pos;
    this.#pos = pos;
  }

  /** One byte. */
  byte(b: number): void {
    this.ensure(1);
    this.#buf[this.#pos++] = b;
    this.written++;
  }

  /** A tab. */
  tab(): void {
    this.byte(9);
  }

  /** Raw bytes. */
  bytes(src: Uint8Array, start = 0, end = src.length): void {
    const n = end - start;
    this.ensure(n);
    this.#buf.set(src.subarray(start, end), this.#pos);
    this.#pos += n;
    this.written += n;
  }

  /** A string (UTF-8). ASCII strings take a fast path. */
  text(s: string): void {
    const n = s.length;
    this.ensure(n * 3);
    const buf = this.#buf;
    let pos = this.#pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        const r = encoder.encodeInto(s.slice(i), buf.subarray(pos));
        pos += r.written;
        break;
      }
      buf[pos++] = c;
    }
    this.written += pos - this.#pos;
    this.#pos = pos;
  }

  /** A non-negative integer below 2^53 in decimal. */
  uint(v: number): void {
    this.ensure(20);
    const buf = this.#buf;
    let pos = this.#pos;
    if (v < 10) {
      buf[pos++] = 48 + v;
    } else {
      // Count digits, then fill from the right two at a time.
      let len = 1;
      for (let t = v; t >= 10; t = Math.floor(t / 10)) len++;
      let end = pos + len;
      pos = end;
      while (v >= 100) {
        const q = Math.floor(v / 100);
        const r = (v - q * 100) * 2;
        buf[--end] = DIGITS[r + 1];
        buf[--end] = DIGITS[r];
        v = q;
      }
      if (v >= 10) {
        buf[--end] = DIGITS[2 * v + 1];
        buf[--end] = DIGITS[2 * v];
      } else {
        buf[--end] = 48 + v;
      }
    }
    this.written += pos - this.#pos;
    this.#pos = pos;
  }

  /** An integer (negative allowed). */
  int(v: number): void {
    if (v < 0) {
      this.byte(45);
      this.uint(-v);
    } else {
      this.uint(v);
    }
  }

  /** `v` zero-padded to `width` decimal digits (`%0<width>u`); longer values are not cut. */
  uintPadded(v: number, width: number): void {
    let len = 1;
    for (let t = v; t >= 10; t = Math.floor(t / 10)) len++;
    this.ensure(width);
    for (let i = len; i < width; i++) this.#buf[this.#pos++] = 48;
    this.written += Math.max(0, width - len);
    this.uint(v);
  }

  /** `v` as lower-case hex, zero-padded to `width` digits (v < 2^32). */
  hex(v: number, width: number): void {
    this.ensure(width + 8);
    const buf = this.#buf;
    let digits = 1;
    for (let t = v >>> 4; t !== 0; t >>>= 4) digits++;
    const n = Math.max(width, digits);
    let pos = this.#pos + n;
    const end = pos;
    for (let i = 0; i < n; i++) {
      buf[--pos] = HEX[v & 15];
      v >>>= 4;
    }
    this.written += end - this.#pos;
    this.#pos = end;
  }
}

/** A sink that keeps everything written (tests, in-process runs). */
export class MemorySink implements ByteSink {
  readonly #chunks: Uint8Array[] = [];

  writeSync(p: Uint8Array): number {
    this.#chunks.push(p.slice());
    return p.length;
  }

  /** Everything written so far, decoded as UTF-8 (and forgotten). */
  takeText(): string {
    const n = this.#chunks.reduce((s, c) => s + c.length, 0);
    const all = new Uint8Array(n);
    let at = 0;
    for (const c of this.#chunks) {
      all.set(c, at);
      at += c.length;
    }
    this.#chunks.length = 0;
    return new TextDecoder().decode(all);
  }
}
