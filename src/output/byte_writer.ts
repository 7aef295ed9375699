/**
 * A buffered text writer: values are formatted straight into one large byte buffer that is
 * written to the file in big chunks (never one write per value).
 *
 * @module
 */

import { fixedScaled, formatFixed, G7_MAX_LEN, g7Into } from "./printf.ts";

/** Where the bytes go. */
export interface ByteSink {
  /** Write the first bytes of `p` (at least one); returns how many were written. */
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
  /** Bytes already handed to the sink (or taken). */
  #done = 0;

  /**
   * A writer with an empty buffer.
   *
   * @param sink Destination; `null` keeps everything in memory (see {@linkcode takeBytes}).
   * @param size Buffer size in bytes.
   */
  constructor(sink: ByteSink | null, size = 1 << 20) {
    this.#sink = sink;
    this.#buf = new Uint8Array(size);
  }

  /** Bytes written since creation (flushed or not). */
  get written(): number {
    return this.#done + this.#pos;
  }

  /** Make room for `n` more bytes, flushing (or growing when in memory). */
  ensure(n: number): void {
    if (this.#pos + n > this.#buf.length) this.#makeRoom(n);
  }

  #makeRoom(n: number): void {
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
    this.#done += this.#pos;
    this.#pos = 0;
  }

  /** In-memory writer only: the bytes written so far (and reset). */
  takeBytes(): Uint8Array {
    const out = this.#buf.slice(0, this.#pos);
    this.#done += this.#pos;
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
    this.#pos = pos;
  }

  /** One byte. */
  byte(b: number): void {
    if (this.#pos >= this.#buf.length) this.#makeRoom(1);
    this.#buf[this.#pos++] = b;
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
    this.#pos = pos;
  }

  /** A non-negative integer below 2^53 in decimal. */
  uint(v: number): void {
    if (this.#pos + 20 > this.#buf.length) this.#makeRoom(20);
    if (v < SMALL_MAX) {
      // Most values (lengths, counts, ports) are small: copy their prepared digits.
      const buf = this.#buf;
      let pos = this.#pos;
      const at = 4 * v;
      const n = SMALL_LEN[v];
      buf[pos++] = SMALL[at];
      if (n > 1) buf[pos++] = SMALL[at + 1];
      if (n > 2) buf[pos++] = SMALL[at + 2];
      if (n > 3) buf[pos++] = SMALL[at + 3];
      this.#pos = pos;
      return;
    }
    this.#pos = writeUint(this.#buf, this.#pos, v, decimalDigits(v));
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
    const len = decimalDigits(v);
    const n = len > width ? len : width;
    this.ensure(n);
    const buf = this.#buf;
    let pos = this.#pos;
    for (let i = len; i < width; i++) buf[pos++] = 48;
    this.#pos = writeUint(buf, pos, v, len);
  }

  /** `v` as lower-case hex, zero-padded to `width` digits (v < 2^32). */
  hex(v: number, width: number): void {
    this.ensure(width + 8);
    const buf = this.#buf;
    let digits = 1;
    for (let t = v >>> 4; t !== 0; t >>>= 4) digits++;
    const n = width > digits ? width : digits;
    let pos = this.#pos + n;
    const end = pos;
    for (let i = 0; i < n; i++) {
      buf[--pos] = HEX[v & 15];
      v >>>= 4;
    }
    this.#pos = end;
  }

  /** A float32 value as glibc's `%.7g` prints it (see printf.ts formatG7). */
  g7(x: number): void {
    this.ensure(G7_MAX_LEN);
    this.#pos = g7Into(x, this.#buf, this.#pos);
  }

  /** `x` with `digits` decimals as glibc's `%.<digits>f` prints it. */
  fixed(x: number, digits: number): void {
    const k = fixedScaled(x, digits);
    if (k < 0) {
      this.text(formatFixed(x, digits));
      return;
    }
    if (digits === 0) {
      this.uint(k);
      return;
    }
    const scale = POW10[digits];
    let ip = Math.floor(k / scale);
    if (ip * scale > k) ip--;
    this.uint(ip);
    this.byte(46);
    this.uintPadded(k - ip * scale, digits);
  }

  /** An IPv4 address (host-order word) in dotted decimal. */
  ipv4(a: number): void {
    this.ensure(15);
    const buf = this.#buf;
    let pos = this.#pos;
    for (let shift = 24; shift >= 0; shift -= 8) {
      const o = (a >>> shift) & 255;
      pos = writeUint(buf, pos, o, o < 10 ? 1 : o < 100 ? 2 : 3);
      if (shift) buf[pos++] = 46;
    }
    this.#pos = pos;
  }

  /**
   * A MAC address from 6 bytes, `xx:xx:xx:xx:xx:xx`; bytes at or after `end` (the end of the
   * captured data) print as `00`.
   */
  mac(bytes: Uint8Array, off: number, end: number = bytes.length): void {
    this.ensure(17);
    const buf = this.#buf;
    let pos = this.#pos;
    for (let i = 0; i < 6; i++) {
      const b = off + i < end ? bytes[off + i] : 0;
      if (i) buf[pos++] = 58;
      buf[pos++] = HEX[b >>> 4];
      buf[pos++] = HEX[b & 15];
    }
    this.#pos = pos;
  }
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** Digits of every integer below SMALL_MAX, 4 bytes per value, and their counts. */
const SMALL_MAX = 10000;
const SMALL = new Uint8Array(4 * SMALL_MAX);
const SMALL_LEN = new Uint8Array(SMALL_MAX);
for (let v = 0; v < SMALL_MAX; v++) {
  const t = String(v);
  SMALL_LEN[v] = t.length;
  for (let i = 0; i < t.length; i++) SMALL[4 * v + i] = t.charCodeAt(i);
}

/** Number of decimal digits of a non-negative integer below 2^53. */
export function decimalDigits(v: number): number {
  if (v < 1e5) return v < 10 ? 1 : v < 100 ? 2 : v < 1e3 ? 3 : v < 1e4 ? 4 : 5;
  if (v < 1e10) return v < 1e6 ? 6 : v < 1e7 ? 7 : v < 1e8 ? 8 : v < 1e9 ? 9 : 10;
  let len = 10;
  for (let t = Math.floor(v / 1e10); t >= 1; t = Math.floor(t / 10)) len++;
  return len;
}

/** Write `v` (of `len` digits) at `pos`; returns the position after it. */
function writeUint(buf: Uint8Array, pos: number, v: number, len: number): number {
  const after = pos + len;
  let end = after;
  // Above 2^31 the quotient needs floating-point division; below, integer division is exact.
  while (v >= 0x80000000) {
    const q = Math.floor(v / 100);
    const r = (v - q * 100) * 2;
    buf[--end] = DIGITS[r + 1];
    buf[--end] = DIGITS[r];
    v = q;
  }
  while (v >= 100) {
    const q = ((v | 0) / 100) | 0;
    const r = ((v | 0) - q * 100) * 2;
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
  return after;
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
