/**
 * The packet file (`-s`, `PREFIX_packets.txt`): the core writes `pktNo`, `flowInd` and the
 * payload column; plugins write their columns in between. Every value is followed by a tab,
 * as in T2, so a plugin with nothing to say for a packet still writes its tabs.
 *
 * @module
 */

import type { ByteWriter } from "./byte_writer.ts";
import { ipWordsText } from "./ip_words.ts";

/** Column writer for one packet line (shared by all plugins). */
export class PacketFile {
  /** The underlying buffered writer. */
  readonly writer: ByteWriter;

  /** Columns go to `writer`. */
  constructor(writer: ByteWriter) {
    this.writer = writer;
  }

  /** Declare packet-file column names (call in `init`). */
  header(...names: string[]): void {
    for (const n of names) {
      this.writer.text(n);
      this.writer.tab();
    }
  }

  /** An unsigned integer. */
  uint(v: number): void {
    this.writer.uint(v);
    this.writer.tab();
  }

  /** A signed integer. */
  int(v: number): void {
    this.writer.int(v);
    this.writer.tab();
  }

  /** `0x` + lower-case hex zero-padded to `width` digits. */
  hex(v: number, width: number): void {
    this.writer.byte(48);
    this.writer.byte(120);
    this.writer.hex(v, width);
    this.writer.tab();
  }

  /** Text as is. */
  text(s: string): void {
    this.writer.text(s);
    this.writer.tab();
  }

  /** A double with `digits` decimals (`%.<digits>f`). */
  fixed(x: number, digits: number): void {
    this.writer.fixed(x, digits);
    this.writer.tab();
  }

  /** A 64-bit status given as two 32-bit halves: `0x` + 16 hex digits. */
  hex64(lo: number, hi: number): void {
    const w = this.writer;
    w.byte(48);
    w.byte(120);
    w.hex(hi >>> 0, 8);
    w.hex(lo >>> 0, 8);
    w.tab();
  }

  /** A MAC address from 6 bytes; bytes at or after `end` print as `00`. */
  mac(bytes: Uint8Array, off: number, end: number): void {
    this.writer.mac(bytes, off, end);
    this.writer.tab();
  }

  /** An IP address of version 4 or 6 from 32-bit words (the flow key layout). */
  ipWords(version: number, words: Uint32Array, off: number): void {
    if (version === 4) this.writer.ipv4(words[off]);
    else this.writer.text(ipWordsText(version, words, off));
    this.writer.tab();
  }

  /** `n` empty columns. */
  empty(n = 1): void {
    for (let i = 0; i < n; i++) this.writer.tab();
  }
}
